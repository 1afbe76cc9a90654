package daemon

import (
	"context"
	"strconv"
	"sync"

	"github.com/charond/charond/vici"
)

// counterNames are the IKE message counters, in the order get-counters
// reports them.
var counterNames = []string{
	"ike-rekey-init", "ike-rekey-resp", "child-rekey", "invalid", "invalid-spi",
	"ike-init-in-req", "ike-init-in-resp", "ike-init-out-req", "ike-init-out-resp",
	"ike-auth-in-req", "ike-auth-in-resp", "ike-auth-out-req", "ike-auth-out-resp",
	"create-child-in-req", "create-child-in-resp", "create-child-out-req",
	"create-child-out-resp", "info-in-req", "info-in-resp", "info-out-req", "info-out-resp",
}

// Counter indexes counterNames.
type Counter int

type counterSet [21]uint64

// counterStore keeps the global counters and one set per connection that
// has seen traffic. The IKE layer counts with Count.
type counterStore struct {
	mu     sync.Mutex
	global counterSet            // guarded by mu
	conns  map[string]counterSet // guarded by mu
	order  []string              // connection names by first count; guarded by mu
}

func newCounterStore() *counterStore { return &counterStore{conns: map[string]counterSet{}} }

// Count adds one to counter c, globally and for the connection (if named).
func (cs *counterStore) Count(connName string, c Counter) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.global[c]++
	if connName == "" {
		return
	}
	set, ok := cs.conns[connName]
	if !ok {
		cs.order = append(cs.order, connName)
	}
	set[c]++
	cs.conns[connName] = set
}

func (d *Daemon) registerCounters(r vici.Registrar) {
	r.Handle("get-counters", d.getCounters)
	r.Handle("reset-counters", d.resetCounters)
}

func setMessage(s counterSet) *vici.Message {
	m := vici.NewMessage()
	for i, n := range counterNames {
		m.Set(n, strconv.FormatUint(s[i], 10))
	}
	return m
}

func (d *Daemon) getCounters(_ context.Context, req *vici.Request) *vici.Message {
	cs := d.counters
	name, byName := argString(req.Message, "name")
	all := argBool(req.Message, "all", false)
	r := vici.NewMessage()
	sec := r.AddSection("counters")
	cs.mu.Lock()
	defer cs.mu.Unlock()
	switch {
	case all:
		for _, n := range cs.order {
			sec.SetSection(n, setMessage(cs.conns[n]))
		}
	case byName:
		set, ok := cs.conns[name]
		if !ok {
			return r.Set("success", "no").
				Set("errmsg", "no counters found for this connection")
		}
		sec.SetSection(name, setMessage(set))
	default:
		sec.SetSection("", setMessage(cs.global))
	}
	return r.Set("success", "yes")
}

func (d *Daemon) resetCounters(_ context.Context, req *vici.Request) *vici.Message {
	cs := d.counters
	name, byName := argString(req.Message, "name")
	all := argBool(req.Message, "all", false)
	cs.mu.Lock()
	defer cs.mu.Unlock()
	switch {
	case all:
		cs.conns, cs.order = map[string]counterSet{}, nil
	case byName:
		if _, ok := cs.conns[name]; ok {
			cs.conns[name] = counterSet{}
		}
	default:
		cs.global = counterSet{}
	}
	d.log.Info("counters reset", "subsys", "cfg", "name", name, "all", all)
	return vici.Success()
}
