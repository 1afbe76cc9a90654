package daemon

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/charond/charond/conn"
	"github.com/charond/charond/vici"
)

func (d *Daemon) registerConns(r vici.Registrar) {
	r.Handle("load-conn", d.loadConn)
	r.Handle("unload-conn", d.unloadConn)
	r.Handle("get-conns", d.getConns)
	r.Handle("list-conns", d.listConns)
}

// connEntries converts a request section into the conn package's input.
func connEntries(m *vici.Message) []conn.Entry {
	out := make([]conn.Entry, 0, m.Len())
	for _, e := range m.Entries() {
		ce := conn.Entry{Name: e.Name, Value: e.Value, Items: e.Items}
		switch e.Kind {
		case vici.KindValue:
			ce.Kind = conn.KindValue
		case vici.KindList:
			ce.Kind = conn.KindList
		case vici.KindSection:
			ce.Kind = conn.KindSection
			ce.Section = connEntries(e.Section)
		}
		out = append(out, ce)
	}
	return out
}

// loadConn loads every section of the request as a connection, stopping
// at the first that fails; key/values at the root are ignored.
func (d *Daemon) loadConn(_ context.Context, req *vici.Request) *vici.Message {
	for _, e := range req.Message.Entries() {
		if e.Kind != vici.KindSection {
			continue
		}
		c, err := conn.Parse(e.Name, connEntries(e.Section))
		if err != nil {
			attrs := []any{"subsys", "cfg", "conn", e.Name, "err", err}
			var fe *conn.FileError
			if errors.As(err, &fe) {
				attrs = append(attrs, "path", fe.Path, "reason", fe.Err)
			}
			d.log.Info("loading vici connection failed", attrs...)
			return vici.Failure(err.Error())
		}
		if err := listable(c); err != nil {
			// list-conns could never show it: refuse it rather than hide it
			errmsg := fmt.Sprintf("config too large to list: %s, config discarded", c.Name)
			d.log.Info("loading vici connection failed", "subsys", "cfg", "conn", e.Name,
				"err", errmsg, "reason", err)
			return vici.Failure(errmsg)
		}
		change := d.conns.Load(c)
		d.log.Info(fmt.Sprintf("%s vici connection: %s", change, c.Name), "subsys", "cfg")
	}
	return vici.Success()
}

func (d *Daemon) unloadConn(_ context.Context, req *vici.Request) *vici.Message {
	name, ok := argString(req.Message, "name")
	if !ok {
		return vici.Failure("unload: missing connection name")
	}
	if !d.conns.Unload(name) {
		return vici.Failure(fmt.Sprintf("unload: connection '%s' not found", name))
	}
	d.log.Info("removed vici connection: "+name, "subsys", "cfg")
	return vici.Success()
}

func (d *Daemon) getConns(_ context.Context, _ *vici.Request) *vici.Message {
	return vici.NewMessage().SetList("conns", d.conns.Names())
}

// listConns streams one list-conn event per connection, optionally only
// the one named by ike, then answers with an empty reply.
func (d *Daemon) listConns(_ context.Context, req *vici.Request) *vici.Message {
	filter, hasFilter := argString(req.Message, "ike")
	for _, c := range d.conns.Snapshot() {
		if hasFilter && c.Name != filter {
			continue
		}
		if !req.Emit("list-conn", listConnEvent(c)) {
			break
		}
	}
	return vici.NewMessage()
}

// listConnEvent is the list-conn event that lists c.
func listConnEvent(c *conn.Config) *vici.Message {
	return vici.NewMessage().SetSection(c.Name, listConnMessage(c))
}

// listable reports why c's list-conn event could not be sent: a value or
// name VICI cannot encode, or a frame over the size limit.
func listable(c *conn.Config) error {
	size, err := listConnEvent(c).EncodedSize()
	if err != nil {
		return err
	}
	// The event's packet: its type, the name's length and the name.
	if n := size + 2 + len("list-conn"); n > vici.MaxFrameSize {
		return fmt.Errorf("list-conn event of %d bytes exceeds %d", n, vici.MaxFrameSize)
	}
	return nil
}

var ikeVersions = map[uint32]string{0: "IKEv1/2", 1: "IKEv1", 2: "IKEv2"}

// listConnMessage builds the body of a list-conn event in 5.9.8's order.
// Its keys are unique by construction, so entries are appended without
// lookups, and the sections of one connection share one array of entries:
// --list-conns of 10,000 connections was bound by these allocations.
func listConnMessage(c *conn.Config) *vici.Message {
	b := newConnBuilder(c)
	m := b.section(12 + len(c.Local) + len(c.Remote))
	list(m, "local_addrs", c.LocalAddrs)
	list(m, "remote_addrs", c.RemoteAddrs)
	v, ok := ikeVersions[c.Version]
	if !ok {
		v = fmt.Sprintf("(%d)", c.Version)
	}
	kv(m, "version", v)
	kv(m, "reauth_time", strconv.FormatUint(c.ReauthTime, 10))
	kv(m, "rekey_time", strconv.FormatUint(c.RekeyTime, 10))
	kv(m, "unique", "UNIQUE_"+strings.ToUpper(c.Unique))
	if c.DPDDelay != 0 {
		kv(m, "dpd_delay", strconv.FormatUint(c.DPDDelay, 10))
	}
	if c.DPDTimeout != 0 {
		kv(m, "dpd_timeout", strconv.FormatUint(c.DPDTimeout, 10))
	}
	if c.PPKID != "" {
		kv(m, "ppk_id", c.PPKID)
	}
	if c.PPKRequired {
		kv(m, "ppk_required", "yes")
	}
	for i := range c.Local {
		a := &c.Local[i]
		authMessage(b.sub(m, "local-"+strconv.Itoa(i+1), authEntries(a)), a)
	}
	for i := range c.Remote {
		a := &c.Remote[i]
		authMessage(b.sub(m, "remote-"+strconv.Itoa(i+1), authEntries(a)), a)
	}
	children := b.sub(m, "children", len(c.Children))
	for i := range c.Children {
		childMessage(b.sub(children, c.Children[i].Name, childEntries), &c.Children[i])
	}
	return m
}

// connBuilder hands out the sections of one list-conn event from two
// arrays sized for the connection.
type connBuilder struct {
	secs    []vici.Message
	entries []vici.Entry
}

// childEntries bounds the entries of a child section.
const childEntries = 11

func authEntries(a *conn.Auth) int { return len(a.Rules) + 4 }

func newConnBuilder(c *conn.Config) *connBuilder {
	secs := 2 + len(c.Local) + len(c.Remote) + len(c.Children)
	entries := 12 + len(c.Local) + len(c.Remote) + len(c.Children)*(childEntries+1)
	for i := range c.Local {
		entries += authEntries(&c.Local[i])
	}
	for i := range c.Remote {
		entries += authEntries(&c.Remote[i])
	}
	return &connBuilder{secs: make([]vici.Message, 0, secs),
		entries: make([]vici.Entry, entries)}
}

// section returns an empty message with room for n entries; past the
// arrays' ends it allocates as usual.
func (b *connBuilder) section(n int) *vici.Message {
	var m *vici.Message
	if len(b.secs) < cap(b.secs) {
		b.secs = b.secs[:len(b.secs)+1]
		m = &b.secs[len(b.secs)-1]
	} else {
		m = vici.NewMessage()
	}
	if n <= len(b.entries) {
		m.SetBuffer(b.entries[:0:n])
		b.entries = b.entries[n:]
	}
	return m
}

// sub appends a new section of room n to m under name and returns it.
func (b *connBuilder) sub(m *vici.Message, name string, n int) *vici.Message {
	sec := b.section(n)
	m.Append(vici.Entry{Kind: vici.KindSection, Name: name, Section: sec})
	return sec
}

func list(m *vici.Message, key string, items []string) {
	m.Append(vici.Entry{Kind: vici.KindList, Name: key, Items: items})
}
