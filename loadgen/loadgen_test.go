package loadgen

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charond/charond/daemon"
	"github.com/charond/charond/vici"
)

// serve runs the real command handlers in process; wrap may replace some.
func serve(t *testing.T, wrap func(vici.Registrar) vici.Registrar) string {
	t.Helper()
	srv := vici.NewServer(nil, vici.Limits{})
	var r vici.Registrar = srv
	if wrap != nil {
		r = wrap(srv)
	}
	daemon.New(daemon.Options{Runtime: srv.RuntimeFigures}).Register(r)
	path := filepath.Join(t.TempDir(), "charon.vici")
	l, err := vici.Listen("unix://"+path, vici.ListenOptions{UID: -1, GID: -1})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return path
}

func TestRunAgainstDaemon(t *testing.T) {
	path := serve(t, nil)
	rep, err := Run(context.Background(), Config{Socket: path, Clients: 20,
		Duration: 2 * time.Second, Garbage: 10, Seed: 1, Log: slog.Default()})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("run failed: %+v", rep)
	}
	if rep.Requests < 100 || rep.Garbage == 0 || rep.GarbageKept != 0 {
		t.Fatalf("requests %d, garbage %d, kept %d", rep.Requests, rep.Garbage, rep.GarbageKept)
	}
	if rep.FinalPools == 0 || rep.FinalConns == 0 {
		t.Fatalf("nothing was left loaded to check: %+v", rep)
	}
	if rep.After.Clients != 1 || rep.Before.Goroutines == 0 || rep.After.HeapLive == 0 {
		t.Fatalf("figures: before %v, after %v", rep.Before, rep.After)
	}
}

// lying passes every command on except unload-pool, which it answers with
// success without unloading anything.
type lying struct{ vici.Registrar }

func (l lying) Handle(cmd string, h vici.HandlerFunc) {
	if cmd == "unload-pool" {
		h = func(context.Context, *vici.Request) *vici.Message { return vici.Success() }
	}
	l.Registrar.Handle(cmd, h)
}

// A daemon that loses track of what it was told is caught.
func TestRunCatchesWrongState(t *testing.T) {
	path := serve(t, func(r vici.Registrar) vici.Registrar { return lying{r} })
	rep, err := Run(context.Background(), Config{Socket: path, Clients: 5,
		Duration: time.Second, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || rep.Errors == 0 || len(rep.FirstErrors) == 0 {
		t.Fatalf("a daemon ignoring unload-pool passed: %+v", rep)
	}
}

func TestSpawnReportsEarlyExit(t *testing.T) {
	if _, err := Spawn("/bin/false"); err == nil || !strings.Contains(err.Error(), "exited") {
		t.Fatalf("Spawn of a program that exits: %v", err)
	}
}
