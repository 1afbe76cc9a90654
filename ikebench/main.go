// Command ikebench connects N road warriors with distinct identities to
// charond and to Debian's charon as gateways, in network namespaces of its
// own, and prints leases per second and IKE_AUTH latencies side by side.
// Run as root:
//
//	go build -o bin/charond ./charond && go run ./ikebench -n 2000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/charond/charond/ikeload"
)

func main() {
	n := flag.Int("n", 2000, "clients (identities), each connected once")
	conc := flag.Int("c", 1, "initiates in flight")
	gws := flag.String("gateways", "charond,strongswan", "gateways to measure, in order")
	clis := flag.String("clients", "charond", "client daemons (charond, strongswan)")
	bin := flag.String("charond", "bin/charond", "charond binary")
	dir := flag.String("dir", "", "keep configurations and logs in this folder")
	timeout := flag.Duration("timeout", 15*time.Second, "bound of each initiate")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	failed := false
	for _, cli := range strings.Split(*clis, ",") {
		var results []*ikeload.Result
		for _, gw := range strings.Split(*gws, ",") {
			r, err := ikeload.Run(ctx, ikeload.Config{Gateway: gw, Client: cli,
				CharondBin: *bin, Clients: *n, Concurrency: *conc, Timeout: *timeout,
				Dir: subdir(*dir, cli, gw)})
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			print(r)
			failed = failed || r.Failed > 0 || r.Online != r.Clients
			results = append(results, r)
		}
		if len(results) == 2 {
			a, b := results[0], results[1]
			fmt.Printf("ratio %s/%s (client %s): time %.2f, IKE_AUTH median %.2f, p90 %.2f, "+
				"p99 %.2f\n\n", a.Gateway, b.Gateway, cli, a.Elapsed.Seconds()/b.Elapsed.Seconds(),
				ratio(a.Auth.Median, b.Auth.Median), ratio(a.Auth.P90, b.Auth.P90),
				ratio(a.Auth.P99, b.Auth.P99))
		}
	}
	if failed {
		os.Exit(1)
	}
}

// subdir is the folder of one run below dir, or "" for a temporary one.
func subdir(dir, cli, gw string) string {
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, cli+"-to-"+gw)
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func print(r *ikeload.Result) {
	fmt.Printf("gateway %s, client %s, %d clients, %d in flight: %.1f s, %d leases online, "+
		"%.1f leases/s, %d failed\n", r.Gateway, r.Client, r.Clients, r.Concurrency,
		r.Elapsed.Seconds(), r.Online, r.LeasesPerSec(), r.Failed)
	if r.FirstError != "" {
		fmt.Printf("  first failure: %s\n", r.FirstError)
	}
	fmt.Printf("  IKE_AUTH: %s\n  connect:  %s\n", r.Auth, r.Connect)
}
