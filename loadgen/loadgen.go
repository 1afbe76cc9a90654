package loadgen

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	govici "github.com/strongswan/govici/vici"
)

// Config says how hard and how long to drive the daemon.
type Config struct {
	Socket   string        // unix socket path of the daemon
	Clients  int           // concurrent sessions
	Duration time.Duration // how long the clients send requests
	// Garbage is the share of operations, in percent, that send a garbage
	// frame on a connection of their own instead of a request.
	Garbage int
	// Keep leaves the pools and connections loaded at the end; otherwise
	// they are unloaded before the final figures are taken.
	Keep bool
	Seed uint64
	Log  *slog.Logger
}

// Report is the outcome of a run.
type Report struct {
	Clients        int
	Duration       time.Duration // time the clients spent sending
	Requests       int64         // well-formed requests answered
	Errors         int64         // wrong, missing or failed replies to well-formed requests
	ConnectErrors  int64         // sessions that could not be opened
	Garbage        int64         // garbage frames sent
	GarbageKept    int64         // garbage connections the daemon did not close
	LostPools      int           // pools the clients loaded that the daemon lacks or changed
	LostConns      int           // connections likewise
	ExtraPools     int           // pools the daemon holds that the clients unloaded
	ExtraConns     int           // connections likewise
	FinalPools     int           // pools of this run at the end, before clean-up
	FinalConns     int           // connections likewise
	Before, After  Runtime       // daemon figures
	FirstErrors    []string      // a few error texts, for the operator
	RequestsPerSec float64
}

// OK reports whether the run met its goal: no error for any well-formed
// request and nothing lost or left over.
func (r *Report) OK() bool {
	return r.Errors == 0 && r.ConnectErrors == 0 && r.LostPools == 0 &&
		r.LostConns == 0 && r.ExtraPools == 0 && r.ExtraConns == 0
}

// tally collects counters from all clients.
type tally struct {
	mu        sync.Mutex
	requests  int64
	errors    int64
	garbage   int64
	kept      int64
	firstErrs []string
}

func (t *tally) fail(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.errors++
	if len(t.firstErrs) < 10 {
		t.firstErrs = append(t.firstErrs, fmt.Sprintf(format, args...))
	}
}

func (t *tally) add(requests, garbage, kept int64) {
	t.mu.Lock()
	t.requests += requests
	t.garbage += garbage
	t.kept += kept
	t.mu.Unlock()
}

// Run drives the daemon as cfg says and checks its state afterwards. The
// error is for a run that could not be made at all; a run that found
// problems returns a report whose OK is false.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	log := cfg.Log.With("subsys", "load")
	if cfg.Clients <= 0 {
		cfg.Clients = 1
	}
	if cfg.Seed == 0 {
		cfg.Seed = uint64(time.Now().UnixNano())
	}
	mon, err := govici.NewSession(govici.WithSocketPath(cfg.Socket))
	if err != nil {
		return nil, fmt.Errorf("loadgen: connecting: %w", err)
	}
	defer mon.Close()
	rep := &Report{Clients: cfg.Clients}
	if rep.Before, err = settle(ctx, mon, 1); err != nil {
		return nil, err
	}
	run := fmt.Sprintf("hard-load-%x", cfg.Seed&0xffffff)
	log.Info("load starting", "clients", cfg.Clients, "duration", cfg.Duration, "run", run)

	t := &tally{}
	workers := make([]*worker, cfg.Clients)
	var wg sync.WaitGroup
	var connectErrs int64
	var mu sync.Mutex
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w, err := newWorker(cfg, run, i, t)
			if err != nil {
				mu.Lock()
				connectErrs++
				mu.Unlock()
				t.fail("client %d: connecting: %v", i, err)
				return
			}
			workers[i] = w
		}()
	}
	wg.Wait()
	start := time.Now()
	end := start.Add(cfg.Duration)
	for _, w := range workers {
		if w == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.loop(ctx, end)
		}()
	}
	wg.Wait()
	rep.Duration = time.Since(start)
	for _, w := range workers {
		if w != nil {
			w.sess.Close()
		}
	}
	rep.ConnectErrors = connectErrs
	rep.Requests, rep.Errors, rep.Garbage, rep.GarbageKept = t.requests, t.errors, t.garbage, t.kept
	rep.RequestsPerSec = float64(rep.Requests) / rep.Duration.Seconds()

	if err := check(ctx, mon, run, workers, rep); err != nil {
		return nil, err
	}
	if !cfg.Keep {
		cleanUp(ctx, mon, workers, t)
	}
	if rep.After, err = settle(ctx, mon, 1); err != nil {
		return nil, err
	}
	t.mu.Lock()
	rep.Errors, rep.FirstErrors = t.errors, t.firstErrs
	t.mu.Unlock()
	log.Info("load finished", "requests", rep.Requests, "errors", rep.Errors,
		"rps", int(rep.RequestsPerSec))
	return rep, nil
}

// newRand gives each client its own reproducible stream.
func newRand(seed uint64, id int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(id)))
}
