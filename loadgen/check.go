package loadgen

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	govici "github.com/strongswan/govici/vici"
)

// Runtime are the daemon's own figures from the charond section of its
// stats reply.
type Runtime struct {
	Goroutines int
	HeapLive   uint64 // live heap after the last collection
	HeapAlloc  uint64
	Sys        uint64 // memory obtained from the OS
	Clients    int
	OpenFiles  int
}

// String renders the figures on one line, memory in MiB.
func (r Runtime) String() string {
	return fmt.Sprintf("goroutines %d, heap live %.1f MiB, heap alloc %.1f MiB, sys %.1f MiB, "+
		"clients %d, open files %d", r.Goroutines, mib(r.HeapLive), mib(r.HeapAlloc),
		mib(r.Sys), r.Clients, r.OpenFiles)
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// stats reads the daemon's figures.
func stats(ctx context.Context, s *govici.Session) (Runtime, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	out, err := s.Call(ctx, "stats", nil)
	if err != nil {
		return Runtime{}, fmt.Errorf("loadgen: stats: %w", err)
	}
	sec, ok := out.Get("charond").(*govici.Message)
	if !ok {
		return Runtime{}, fmt.Errorf("loadgen: stats reply has no charond section")
	}
	num := func(k string) uint64 {
		v, _ := strconv.ParseUint(fmt.Sprint(sec.Get(k)), 10, 64)
		return v
	}
	return Runtime{Goroutines: int(num("goroutines")), HeapLive: num("heap-live"),
		HeapAlloc: num("heap-alloc"), Sys: num("sys"), Clients: int(num("vici-clients")),
		OpenFiles: int(num("open-files"))}, nil
}

// settle waits until the daemon serves only `clients` clients, makes it
// collect garbage and returns its figures. The daemon cannot be told to
// collect, so large requests it decodes and drops push it past its next
// collection goal: heap-live is then the live heap of a fresh cycle.
func settle(ctx context.Context, s *govici.Session, clients int) (Runtime, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		r, err := stats(ctx, s)
		if err != nil {
			return r, err
		}
		if r.Clients <= clients || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	big := govici.NewMessage()
	big.Set("ballast", strings.Repeat("x", 60000))
	for range 2 {
		before, err := stats(ctx, s)
		if err != nil {
			return before, err
		}
		// More garbage than the heap goal (twice the live heap, 4 MiB at
		// least), in requests that cost about twice their size to decode.
		for n := uint64(0); n < 2*before.HeapLive+(8<<20); n += 120000 {
			if _, err := s.Call(ctx, "version", big); err != nil {
				return before, fmt.Errorf("loadgen: version: %w", err)
			}
		}
	}
	return stats(ctx, s)
}

// check compares the daemon's pools and connections of this run with what
// the clients' models say they must be.
func check(ctx context.Context, s *govici.Session, run string, workers []*worker,
	rep *Report) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	pools, err := s.Call(ctx, "get-pools", nil)
	if err != nil {
		return fmt.Errorf("loadgen: final get-pools: %w", err)
	}
	out, err := s.Call(ctx, "get-conns", nil)
	if err != nil {
		return fmt.Errorf("loadgen: final get-conns: %w", err)
	}
	conns := map[string]bool{}
	list, _ := out.Get("conns").([]string)
	for _, n := range list {
		if strings.HasPrefix(n, run+"-") {
			conns[n] = true
		}
	}
	for _, n := range pools.Keys() {
		if strings.HasPrefix(n, run+"-") {
			rep.FinalPools++
		}
	}
	rep.FinalConns = len(conns)
	for _, w := range workers {
		if w == nil {
			continue
		}
		for k := range poolsPerClient {
			name := w.poolName(k)
			want, had := w.pools[name]
			sec, ok := pools.Get(name).(*govici.Message)
			switch {
			case had && (!ok || sec.Get("base") != want.base || sec.Get("size") != want.size):
				rep.LostPools++
			case !had && ok:
				rep.ExtraPools++
			}
		}
		for k := range connsPerClient {
			name := w.connName(k)
			switch {
			case w.conns[name] && !conns[name]:
				rep.LostConns++
			case !w.conns[name] && conns[name]:
				rep.ExtraConns++
			}
		}
	}
	return nil
}

// cleanUp unloads what the clients left loaded.
func cleanUp(ctx context.Context, s *govici.Session, workers []*worker, t *tally) {
	ctx, cancel := context.WithTimeout(ctx, 10*callTimeout)
	defer cancel()
	for _, w := range workers {
		if w == nil {
			continue
		}
		for name := range w.pools {
			in := govici.NewMessage()
			in.Set("name", name)
			if _, err := s.Call(ctx, "unload-pool", in); err != nil {
				t.fail("clean-up: unload-pool %s: %v", name, err)
			}
		}
		for name, ok := range w.conns {
			if !ok {
				continue
			}
			in := govici.NewMessage()
			in.Set("name", name)
			if _, err := s.Call(ctx, "unload-conn", in); err != nil {
				t.fail("clean-up: unload-conn %s: %v", name, err)
			}
		}
	}
}
