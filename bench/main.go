// Command bench runs the side-by-side benchmark of charond and swanctl
// against Debian's strongSwan charon and swanctl; bench/run.sh builds it
// and runs it inside a network namespace of its own. It starts both
// daemons, runs every workload against each in alternation for several
// rounds and prints a markdown table of medians.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"
)

type config struct {
	run, charon, charond, ours, debian string
	rounds, calls                      int
	rateFor                            time.Duration
}

func main() {
	var c config
	flag.StringVar(&c.run, "run", "", "work directory for configurations, sockets and logs")
	flag.StringVar(&c.charon, "charon", "/usr/lib/ipsec/charon", "the real charon")
	flag.StringVar(&c.charond, "charond", "bin/charond", "charond binary")
	flag.StringVar(&c.ours, "swanctl", "bin/swanctl", "our swanctl")
	flag.StringVar(&c.debian, "debian-swanctl", "/usr/sbin/swanctl", "Debian's swanctl")
	flag.IntVar(&c.rounds, "rounds", 5, "rounds of every workload against both daemons")
	flag.IntVar(&c.calls, "calls", 1000, "get-pools calls per measurement")
	flag.DurationVar(&c.rateFor, "rate-time", 2*time.Second, "length of a version rate run")
	sock := flag.String("sock", "", "with -do: the socket of a running daemon")
	do := flag.String("do", "", "run one govici workload (pools, pools-leases, version-1, "+
		"version-16) against -sock and print its figure, for profiling")
	flag.Parse()
	log.SetFlags(log.Ltime)
	if *do != "" {
		if p := os.Getenv("BENCH_CPU"); p != "" {
			f, err := os.Create(p)
			if err != nil {
				log.Fatal(err)
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				log.Fatal(err)
			}
			defer pprof.StopCPUProfile()
		}
		if err := one(c, *sock, *do); err != nil {
			log.Fatal(err)
		}
		return
	}
	if c.run == "" {
		log.Fatal("-run is required")
	}
	if err := bench(c); err != nil {
		log.Fatal(err)
	}
}

func bench(c config) error {
	for _, p := range []*string{&c.run, &c.charond, &c.ours} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	confs := map[int]string{}
	for _, n := range []int{0, 1000, 10000} {
		p, err := writeConf(filepath.Join(c.run, fmt.Sprintf("conf%d", n)), n, 100)
		if err != nil {
			return err
		}
		if n == 0 {
			// the reset file: no connections and no pools
			p, err = writeConf(filepath.Join(c.run, "empty"), 0, 0)
			if err != nil {
				return err
			}
		}
		confs[n] = p
	}
	if err := os.WriteFile(filepath.Join(c.run, "charond.conf"),
		[]byte("charond {\n  log_level = info\n}\n"), 0o644); err != nil {
		return err
	}
	sw, err := newCharon(c.run, c.charon)
	if err != nil {
		return err
	}
	ds := []*daemon{newCharond(c.run, c.charond), sw}
	ds[0].theirs, ds[1].theirs = c.ours, c.debian
	r := newResults()
	for round := range c.rounds {
		order := ds
		if round%2 == 1 {
			order = []*daemon{ds[1], ds[0]}
		}
		log.Printf("round %d of %d", round+1, c.rounds)
		if err := runRound(c, order, confs, r); err != nil {
			for _, d := range ds {
				d.down()
			}
			return err
		}
	}
	r.print(os.Stdout, c)
	return nil
}

// runRound starts both daemons afresh and runs every workload on each,
// one daemon after the other.
func runRound(c config, order []*daemon, confs map[int]string, r *results) error {
	for _, d := range order {
		if err := d.up(c.run); err != nil {
			return err
		}
	}
	defer func() {
		for _, d := range order {
			d.down()
		}
	}()
	time.Sleep(500 * time.Millisecond) // let both settle before the idle figure
	each := func(f func(d *daemon) error) error {
		for _, d := range order {
			if err := f(d); err != nil {
				return err
			}
		}
		return nil
	}
	steps := []func(d *daemon) error{
		func(d *daemon) error { return r.memory(d, "rss-idle") },
	}
	load := func(n int, swanctl func(d *daemon) string, line string) {
		steps = append(steps,
			func(d *daemon) error { return r.load(c, d, swanctl(d), confs[n], line+" cold") },
			func(d *daemon) error { return r.load(c, d, swanctl(d), confs[n], line+" again") })
	}
	own := func(d *daemon) string { return d.theirs }
	deb := func(*daemon) string { return c.debian }
	reset := func(d *daemon) error { return r.load(c, d, d.theirs, confs[0], "") }
	load(1000, own, "load-1k")
	steps = append(steps, reset)
	load(1000, deb, "load-1k-deb")
	steps = append(steps, reset)
	load(10000, own, "load-10k")
	steps = append(steps,
		func(d *daemon) error { return r.memory(d, "rss-10k") },
		func(d *daemon) error { return r.list(c, d, d.theirs, "list-10k") },
		func(d *daemon) error { return r.list(c, d, c.debian, "list-10k-deb") },
		reset)
	load(10000, deb, "load-10k-deb")
	steps = append(steps,
		func(d *daemon) error { return r.pools(c, d, false, "pools") },
		func(d *daemon) error { return r.pools(c, d, true, "pools-leases") },
		func(d *daemon) error { return r.rate(c, d, 1, "version-1") },
		func(d *daemon) error { return r.rate(c, d, 16, "version-16") })
	for _, s := range steps {
		if err := each(s); err != nil {
			return err
		}
	}
	return nil
}

func (r *results) load(c config, d *daemon, swanctl, file, key string) error {
	el, last, err := d.swanctl(c.run, swanctl, "--load-all", "--file", file)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(last, "successfully loaded") &&
		!strings.HasPrefix(last, "no connections found") {
		return fmt.Errorf("%s into %s: unexpected summary %q", swanctl, d.name, last)
	}
	if key != "" {
		r.add(key, d.name, el.Seconds())
	}
	return nil
}

func (r *results) list(c config, d *daemon, swanctl, key string) error {
	el, last, err := d.swanctl(c.run, swanctl, "--list-conns")
	if err != nil {
		return err
	}
	if !strings.Contains(last, "dpd_action") && !strings.Contains(last, "local:") &&
		!strings.Contains(last, "remote:") {
		return fmt.Errorf("%s --list-conns from %s: unexpected last line %q", swanctl, d.name, last)
	}
	r.add(key, d.name, el.Seconds())
	return nil
}

func (r *results) memory(d *daemon, key string) error {
	v, err := d.rss()
	if err != nil {
		return err
	}
	r.add(key, d.name, v)
	return nil
}

func (r *results) pools(c config, d *daemon, leases bool, key string) error {
	el, err := getPools(d.sock, c.calls, leases)
	if err != nil {
		return fmt.Errorf("get-pools on %s: %w", d.name, err)
	}
	r.add(key, d.name, el.Seconds())
	return nil
}

func (r *results) rate(c config, d *daemon, n int, key string) error {
	v, refused, err := versionRate(d.sock, n, c.rateFor, 1_000_000)
	if err != nil {
		return fmt.Errorf("version with %d sessions on %s: %w", n, d.name, err)
	}
	r.add(key, d.name, v)
	r.add(key+"-refused", d.name, float64(refused))
	return nil
}

// one runs a single govici workload against a running daemon.
func one(c config, sock, do string) error {
	switch do {
	case "pools", "pools-leases":
		el, err := getPools(sock, c.calls, do == "pools-leases")
		if err != nil {
			return err
		}
		fmt.Printf("%s: %d calls in %v\n", do, c.calls, el)
	case "version-1", "version-16":
		n := 1
		if do == "version-16" {
			n = 16
		}
		v, refused, err := versionRate(sock, n, c.rateFor, 1_000_000)
		if err != nil {
			return err
		}
		fmt.Printf("%s: %.0f/s, %d refused\n", do, v, refused)
	default:
		return fmt.Errorf("unknown workload %q", do)
	}
	return nil
}
