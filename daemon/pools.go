package daemon

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/charond/charond/pool"
	"github.com/charond/charond/vici"
)

// poolStore names the pool manager's type here, so that daemon.go needs
// no import of its own for the field.
type poolStore = pool.Manager

func newPoolStore() *poolStore { return pool.NewManager() }

// Pools returns the pool manager, for the IKE layer to acquire and release
// leases and look up the attributes that go with them.
func (d *Daemon) Pools() *pool.Manager { return d.pools }

// maxAddrsLen is strongSwan's buffer for the addrs value: longer values
// are refused without being echoed.
const maxAddrsLen = 127

func (d *Daemon) registerPools(r vici.Registrar) {
	r.Handle("load-pool", d.loadPool)
	r.Handle("unload-pool", d.unloadPool)
	r.Handle("get-pools", d.getPools)
}

// loadPool loads each pool section of the request in order, stopping at
// the first failure; pools loaded before it stay loaded.
func (d *Daemon) loadPool(_ context.Context, req *vici.Request) *vici.Message {
	for _, e := range req.Message.Entries() {
		if e.Kind != vici.KindSection {
			continue
		}
		if msg := d.loadOnePool(e.Name, e.Section); msg != "" {
			return vici.Failure(msg)
		}
	}
	return vici.Success()
}

// loadOnePool parses and loads one pool section and returns the errmsg of
// a failure, or "". Each failure is logged once.
func (d *Daemon) loadOnePool(name string, sec *vici.Message) (errmsg string) {
	logged := false
	defer func() {
		if errmsg != "" && !logged {
			d.loadFailed("pool", errmsg, "name", name)
		}
	}()
	var (
		r     pool.Range
		found bool
		attrs []pool.Attribute
	)
	for _, e := range sec.Entries() {
		switch e.Kind {
		case vici.KindValue:
			if e.Name != "addrs" {
				return "invalid attribute: " + e.Name
			}
			if found {
				return "multiple addrs defined"
			}
			if len(e.Value) > maxAddrsLen || !printable(e.Value) {
				return "invalid addrs value"
			}
			var notes []string
			var err error
			r, notes, err = pool.ParseAddrs(e.Value)
			for _, n := range notes {
				d.log.Info(n, "subsys", "cfg")
			}
			if err != nil {
				return "invalid addrs value: " + e.Value
			}
			found = true
		case vici.KindList:
			for _, item := range e.Items {
				a, err := pool.ParseAttribute(e.Name, item)
				switch {
				case errors.Is(err, pool.ErrInvalidAttributeValue):
					return "invalid attribute value for " + e.Name
				case err != nil:
					return "invalid attribute: " + e.Name
				}
				attrs = append(attrs, a)
			}
		}
		// Sub-sections of a pool are ignored, as strongSwan does.
	}
	if !found {
		return fmt.Sprintf("missing addrs for pool '%s'", name)
	}
	res, err := d.pools.Load(name, r, attrs)
	if errors.Is(err, pool.ErrOnlineLeases) {
		d.log.Info(fmt.Sprintf("vici pool %s has %d online leases, unable to replace",
			name, res.Online), "subsys", "cfg")
		logged = true
		return fmt.Sprintf("vici pool %s has online leases, unable to replace", name)
	}
	if err != nil {
		// TODO: unreachable with a parsed range; strongSwan has no message.
		return "parsing request failed"
	}
	verb := map[pool.Action]string{pool.Added: "added", pool.Updated: "updated",
		pool.Replaced: "replaced"}[res.Action]
	d.log.Info(fmt.Sprintf("%s vici pool %s: %s, %d entries", verb, name, res.Range.Base,
		res.Range.Size), "subsys", "cfg")
	return ""
}

func (d *Daemon) unloadPool(_ context.Context, req *vici.Request) *vici.Message {
	name, ok := argString(req.Message, "name")
	if !ok {
		return vici.Failure("missing pool name to unload")
	}
	online, err := d.pools.Unload(name)
	switch {
	case errors.Is(err, pool.ErrNotFound):
		return vici.Failure(name + " not found")
	case errors.Is(err, pool.ErrOnlineLeases):
		d.log.Info(fmt.Sprintf("vici pool %s has %d online leases, unable to unload",
			name, online), "subsys", "cfg")
		return vici.Failure(name + " has online leases, unable to unload")
	case err != nil:
		return vici.Failure(err.Error())
	}
	d.log.Info("unloaded vici pool "+name, "subsys", "cfg")
	return vici.Success()
}

func (d *Daemon) getPools(_ context.Context, req *vici.Request) *vici.Message {
	name, byName := argString(req.Message, "name")
	q := pool.Query{Name: name, ByName: byName, Leases: argBool(req.Message, "leases", false)}
	return poolsReply(d.pools.Snapshot(q), q.Leases)
}

// poolsReply builds the get-pools reply. Names within each section are
// unique by construction, so entries are appended without lookups. The
// sections, their entries and their texts are allocated in bulk, for the
// pool sections as for the lease sections: replies may list hundreds of
// thousands of leases, and monitoring polls them.
func poolsReply(pools []pool.Info, leases bool) *vici.Message {
	// base, size, online and offline of each pool, cut from one buffer
	buf := make([]byte, 0, len(pools)*40)
	ends := make([]int32, 0, 4*len(pools))
	for _, in := range pools {
		buf = in.Range.Base.AppendTo(buf)
		ends = append(ends, int32(len(buf)))
		buf = strconv.AppendUint(buf, uint64(in.Range.Size), 10)
		ends = append(ends, int32(len(buf)))
		buf = strconv.AppendInt(buf, int64(in.Online), 10)
		ends = append(ends, int32(len(buf)))
		buf = strconv.AppendInt(buf, int64(in.Offline), 10)
		ends = append(ends, int32(len(buf)))
	}
	text := string(buf)
	per := 4
	if leases {
		per = 5
	}
	secs := make([]vici.Message, len(pools))
	entries := make([]vici.Entry, per*len(pools))
	reply := vici.NewMessage()
	reply.Grow(len(pools))
	pos := int32(0)
	for i, in := range pools {
		sec := &secs[i]
		sec.SetBuffer(entries[per*i : per*i : per*(i+1)])
		for j, key := range [...]string{"base", "size", "online", "offline"} {
			end := ends[4*i+j]
			kv(sec, key, text[pos:end])
			pos = end
		}
		if leases {
			leaseSections(sec.AddSection("leases"), in.Leases)
		}
		reply.Append(vici.Entry{Kind: vici.KindSection, Name: in.Name, Section: sec})
	}
	return reply
}

func leaseSections(ls *vici.Message, leases []pool.Lease) {
	// One buffer holds every index and address text, ends[] where each
	// text stops; the strings handed to the message are slices of it.
	buf := make([]byte, 0, len(leases)*24)
	ends := make([]int32, 0, 2*len(leases))
	for i, l := range leases {
		buf = strconv.AppendInt(buf, int64(i), 10)
		ends = append(ends, int32(len(buf)))
		buf = l.Addr.AppendTo(buf)
		ends = append(ends, int32(len(buf)))
	}
	text := string(buf)
	secs := make([]vici.Message, len(leases))
	// Each lease holds three entries: take them from one array too.
	entries := make([]vici.Entry, 3*len(leases))
	ls.Grow(len(leases))
	pos := int32(0)
	for i, l := range leases {
		name, addr := text[pos:ends[2*i]], text[ends[2*i]:ends[2*i+1]]
		pos = ends[2*i+1]
		e := &secs[i]
		e.SetBuffer(entries[3*i : 3*i : 3*i+3])
		kv(e, "address", addr)
		kv(e, "identity", l.Identity.String())
		status := "offline"
		if l.Online {
			status = "online"
		}
		kv(e, "status", status)
		ls.Append(vici.Entry{Kind: vici.KindSection, Name: name, Section: e})
	}
}

func kv(m *vici.Message, key, value string) {
	m.Append(vici.Entry{Kind: vici.KindValue, Name: key, Value: value})
}
