package loadgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	govici "github.com/strongswan/govici/vici"
)

// Names per client: few enough that names are reused, so loads replace,
// unloads often hit something and queries see both states.
const (
	poolsPerClient = 3
	connsPerClient = 3
)

// callTimeout is generous: govici drops a session whose reply takes more
// than five seconds beyond its context deadline, and a loaded daemon on a
// small machine may be slow; slow is not wrong.
const callTimeout = 60 * time.Second

// poolWant is what get-pools must report for a pool a client loaded.
type poolWant struct {
	addrs string
	base  string
	size  string
}

// worker is one client session and its model of what it has loaded.
type worker struct {
	cfg    Config
	id     int
	run    string
	sess   *govici.Session
	events chan govici.Event
	rng    *rand.Rand
	t      *tally

	pools map[string]poolWant
	conns map[string]bool

	requests, garbage, kept int64
}

func newWorker(cfg Config, run string, id int, t *tally) (*worker, error) {
	sess, err := govici.NewSession(govici.WithSocketPath(cfg.Socket))
	if err != nil {
		return nil, err
	}
	w := &worker{cfg: cfg, id: id, run: run, sess: sess, rng: newRand(cfg.Seed, id), t: t,
		events: make(chan govici.Event, 16), pools: map[string]poolWant{},
		conns: map[string]bool{}}
	// Register once and keep it: govici 0.8.0's streaming iterator can lose
	// events, but subscribed events are always delivered before the reply.
	sess.NotifyEvents(w.events)
	if err := sess.Subscribe("list-conn"); err != nil {
		sess.Close()
		return nil, err
	}
	return w, nil
}

func (w *worker) poolName(k int) string { return fmt.Sprintf("%s-w%d-p%d", w.run, w.id, k) }
func (w *worker) connName(k int) string { return fmt.Sprintf("%s-w%d-c%d", w.run, w.id, k) }

// loop sends operations until end, then records its counts.
func (w *worker) loop(ctx context.Context, end time.Time) {
	defer func() { w.t.add(w.requests, w.garbage, w.kept) }()
	for time.Now().Before(end) && ctx.Err() == nil {
		w.step(ctx)
	}
}

// step picks one operation by weight and checks its reply.
func (w *worker) step(ctx context.Context) {
	n := w.rng.IntN(100)
	if n < w.cfg.Garbage {
		w.sendGarbage()
		return
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	switch n = w.rng.IntN(100); {
	case n < 20:
		w.loadPool(ctx)
	case n < 30:
		w.unloadPool(ctx)
	case n < 50:
		w.getPool(ctx)
	case n < 52:
		w.getAllPools(ctx)
	case n < 70:
		w.loadConn(ctx)
	case n < 78:
		w.unloadConn(ctx)
	default:
		w.listConn(ctx)
	}
}

func (w *worker) call(ctx context.Context, cmd string,
	in *govici.Message) (*govici.Message, error) {
	w.requests++
	return w.sess.Call(ctx, cmd, in)
}

func (w *worker) fail(format string, args ...any) {
	w.t.fail("client %d: %s", w.id, fmt.Sprintf(format, args...))
}

// poolRange gives pool k of this client its own /28 or /27 in 10.0.0.0/8.
func (w *worker) poolRange(k int, wide bool) poolWant {
	p := w.id*poolsPerClient + k
	a, b := 1+p/256%254, p%256
	if wide {
		return poolWant{fmt.Sprintf("10.%d.%d.0/27", a, b), fmt.Sprintf("10.%d.%d.1", a, b), "30"}
	}
	return poolWant{fmt.Sprintf("10.%d.%d.0/28", a, b), fmt.Sprintf("10.%d.%d.1", a, b), "14"}
}

func (w *worker) loadPool(ctx context.Context) {
	k := w.rng.IntN(poolsPerClient)
	name, want := w.poolName(k), w.poolRange(k, w.rng.IntN(2) == 0)
	sec := govici.NewMessage()
	sec.Set("addrs", want.addrs)
	sec.Set("dns", []string{"10.0.0.53"})
	in := govici.NewMessage()
	in.Set(name, sec)
	if _, err := w.call(ctx, "load-pool", in); err != nil {
		w.fail("load-pool %s: %v", name, err)
		// The outcome is unknown: forget the pool either way, and let the
		// final check find the truth through a fresh query.
		delete(w.pools, name)
		w.resync(ctx, name)
		return
	}
	w.pools[name] = want
}

func (w *worker) unloadPool(ctx context.Context) {
	name := w.poolName(w.rng.IntN(poolsPerClient))
	in := govici.NewMessage()
	in.Set("name", name)
	out, err := w.call(ctx, "unload-pool", in)
	_, had := w.pools[name]
	switch {
	case had && err != nil:
		w.fail("unload-pool %s: %v", name, err)
		w.resync(ctx, name)
	case !had && (err == nil || out == nil || out.Get("errmsg") != name+" not found"):
		w.fail("unload-pool of absent %s: reply %v, %v", name, out, err)
	}
	delete(w.pools, name)
}

// getPool asks for one pool by name and compares it with the model.
func (w *worker) getPool(ctx context.Context) {
	name := w.poolName(w.rng.IntN(poolsPerClient))
	in := govici.NewMessage()
	in.Set("name", name)
	out, err := w.call(ctx, "get-pools", in)
	if err != nil {
		w.fail("get-pools %s: %v", name, err)
		return
	}
	if len(out.Keys()) > 1 {
		w.fail("get-pools %s: %d pools in reply", name, len(out.Keys()))
	}
	w.comparePool(name, out)
}

// getAllPools is a monitoring poll: every pool the daemon holds.
func (w *worker) getAllPools(ctx context.Context) {
	out, err := w.call(ctx, "get-pools", nil)
	if err != nil {
		w.fail("get-pools: %v", err)
		return
	}
	for k := range poolsPerClient {
		w.comparePool(w.poolName(k), out)
	}
}

func (w *worker) comparePool(name string, out *govici.Message) {
	want, had := w.pools[name]
	sec, ok := out.Get(name).(*govici.Message)
	switch {
	case had && !ok:
		w.fail("get-pools: loaded pool %s missing", name)
	case !had && ok:
		w.fail("get-pools: unloaded pool %s present", name)
	case had && (sec.Get("base") != want.base || sec.Get("size") != want.size ||
		sec.Get("online") != "0"):
		w.fail("get-pools %s: base %v size %v online %v, want %s %s 0", name,
			sec.Get("base"), sec.Get("size"), sec.Get("online"), want.base, want.size)
	}
}

// resync asks the daemon about a pool whose last operation failed, so
// that one failure is counted once and the model stays true.
func (w *worker) resync(ctx context.Context, name string) {
	in := govici.NewMessage()
	in.Set("name", name)
	out, err := w.sess.Call(ctx, "get-pools", in)
	if err != nil {
		return
	}
	if sec, ok := out.Get(name).(*govici.Message); ok {
		w.pools[name] = poolWant{base: fmt.Sprint(sec.Get("base")),
			size: fmt.Sprint(sec.Get("size"))}
	}
}
