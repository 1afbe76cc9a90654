package daemon

import (
	"context"
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
	var out []conn.Entry
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
			d.log.Info("loading vici connection failed", "subsys", "cfg",
				"conn", e.Name, "err", err)
			return vici.Failure(err.Error())
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
		ev := vici.NewMessage()
		ev.SetSection(c.Name, listConnMessage(c))
		if !req.Emit("list-conn", ev) {
			break
		}
	}
	return vici.NewMessage()
}

var ikeVersions = map[uint32]string{0: "IKEv1/2", 1: "IKEv1", 2: "IKEv2"}

// listConnMessage builds the body of a list-conn event in 5.9.8's order.
func listConnMessage(c *conn.Config) *vici.Message {
	m := vici.NewMessage()
	m.SetList("local_addrs", c.LocalAddrs)
	m.SetList("remote_addrs", c.RemoteAddrs)
	v, ok := ikeVersions[c.Version]
	if !ok {
		v = fmt.Sprintf("(%d)", c.Version)
	}
	m.Set("version", v)
	m.Set("reauth_time", strconv.FormatUint(c.ReauthTime, 10))
	m.Set("rekey_time", strconv.FormatUint(c.RekeyTime, 10))
	m.Set("unique", "UNIQUE_"+strings.ToUpper(c.Unique))
	if c.DPDDelay != 0 {
		m.Set("dpd_delay", strconv.FormatUint(c.DPDDelay, 10))
	}
	if c.DPDTimeout != 0 {
		m.Set("dpd_timeout", strconv.FormatUint(c.DPDTimeout, 10))
	}
	if c.PPKID != "" {
		m.Set("ppk_id", c.PPKID)
	}
	if c.PPKRequired {
		m.Set("ppk_required", "yes")
	}
	for i := range c.Local {
		authMessage(m.AddSection(fmt.Sprintf("local-%d", i+1)), &c.Local[i])
	}
	for i := range c.Remote {
		authMessage(m.AddSection(fmt.Sprintf("remote-%d", i+1)), &c.Remote[i])
	}
	children := m.AddSection("children")
	for i := range c.Children {
		childMessage(children.AddSection(c.Children[i].Name), &c.Children[i])
	}
	return m
}
