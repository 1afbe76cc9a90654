package daemon

import (
	"log/slog"

	"github.com/charond/charond/conn"
	"github.com/charond/charond/creds"
	"github.com/charond/charond/ike"
	"github.com/charond/charond/vici"
)

// IKEOptions wire the IKE layer to the daemon.
type IKEOptions struct {
	// Server are the options of the ike.Server; NewIKE fills in Configs,
	// Initiators, Secrets, Allocator and Events from the daemon's stores.
	Server ike.Options
	// Emit broadcasts an event (ike-updown, child-updown) to the VICI
	// clients registered for it; nil drops events.
	Emit func(event string, m *vici.Message)
	// Subscribed reports whether anybody listens to an event, so that
	// events nobody receives are not built; nil means always.
	Subscribed func(event string) bool
}

// NewIKE creates an IKE server on the daemon's connections, secrets and
// pools; from then on the SA commands (initiate, terminate, list-sas, ...)
// act on it. Call it before serving VICI; the caller runs the server.
func (d *Daemon) NewIKE(o IKEOptions) *ike.Server {
	so := o.Server
	cc := ike.ConnConfigs{Store: d.conns, Log: d.log}
	so.Configs, so.Initiators = cc, cc
	so.Secrets = ike.CredsSecrets{Store: d.creds}
	so.Allocator = ike.PoolAllocator{Pools: d.pools, Log: d.log}
	so.Events = &ikeEvents{counters: d.counters, emit: o.Emit, subscribed: o.Subscribed}
	if so.Log == nil {
		so.Log = d.log
	}
	srv := ike.NewServer(so)
	d.sas = &ikeSAs{srv: srv, log: d.log}
	return srv
}

// Conns returns the connection store.
func (d *Daemon) Conns() *conn.Store { return d.conns }

// Creds returns the credential store.
func (d *Daemon) Creds() *creds.Store { return d.creds }

// counterIndex maps the counters plugin's names to Counter values.
var counterIndex = func() map[string]Counter {
	m := map[string]Counter{}
	for i, n := range counterNames {
		m[n] = Counter(i)
	}
	return m
}()

// ikeEvents turns the IKE layer's reports into counters and VICI events.
type ikeEvents struct {
	counters   *counterStore
	emit       func(string, *vici.Message)
	subscribed func(string) bool
}

func (e *ikeEvents) wanted(event string) bool {
	return e.emit != nil && (e.subscribed == nil || e.subscribed(event))
}

// IKEUpDown sends ike-updown: up = yes when up, then the IKE_SA section
// without children.
func (e *ikeEvents) IKEUpDown(sa ike.SAInfo, up bool) {
	if !e.wanted("ike-updown") {
		return
	}
	m := vici.NewMessage()
	if up {
		m.Set("up", "yes")
	}
	state := "DELETING"
	if up {
		state = "ESTABLISHED"
	}
	sa.Children = nil
	m.SetSection(sa.Name, ikeBody(sa, state))
	e.emit("ike-updown", m)
}

// ChildUpDown sends child-updown: up = yes when up, then the IKE_SA
// section whose child-sas hold only this child.
func (e *ikeEvents) ChildUpDown(sa ike.SAInfo, c ike.ChildSA, up bool) {
	if !e.wanted("child-updown") {
		return
	}
	m := vici.NewMessage()
	if up {
		m.Set("up", "yes")
	}
	sa.Children = []ike.ChildSA{c}
	state := "DELETING"
	if up {
		state = "INSTALLED"
	}
	m.SetSection(sa.Name, ikeSectionChild(sa, "ESTABLISHED", state))
	e.emit("child-updown", m)
}

// IKERekey sends ike-rekey: the connection's section holding the old and
// the new IKE_SA, each with its CHILD_SAs, as charon's vici plugin does.
func (e *ikeEvents) IKERekey(old, n ike.SAInfo) {
	if !e.wanted("ike-rekey") {
		return
	}
	m := vici.NewMessage()
	sec := m.AddSection(old.Name)
	sec.SetSection("old", ikeSectionChild(old, "REKEYED", "INSTALLED"))
	sec.SetSection("new", ikeSectionChild(n, "ESTABLISHED", "INSTALLED"))
	e.emit("ike-rekey", m)
}

// Count adds one to a message counter.
func (e *ikeEvents) Count(connName, counter string) {
	if i, ok := counterIndex[counter]; ok {
		e.counters.Count(connName, i)
	}
}

var (
	_ ike.Events      = (*ikeEvents)(nil)
	_ ike.RekeyEvents = (*ikeEvents)(nil)
)

// ikeSAs is the SAManager backed by the IKE server.
type ikeSAs struct {
	srv *ike.Server
	log *slog.Logger
}

// Counts returns the IKE_SAs and the half-open ones, for stats.
func (s *ikeSAs) Counts() (total, halfOpen int) { return s.srv.Counts() }
