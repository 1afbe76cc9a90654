package loadgen

import (
	"context"
	"fmt"

	govici "github.com/strongswan/govici/vici"
)

// connMessage is a small road-warrior connection, as swanctl would send it.
func (w *worker) connMessage(name string, k int) *govici.Message {
	local := govici.NewMessage()
	local.Set("auth", "psk")
	local.Set("id", fmt.Sprintf("w%d-c%d.example.org", w.id, k))
	remote := govici.NewMessage()
	remote.Set("auth", "psk")
	child := govici.NewMessage()
	child.Set("local_ts", []string{"10.1.0.0/16"})
	children := govici.NewMessage()
	children.Set("net", child)
	c := govici.NewMessage()
	c.Set("version", "2")
	c.Set("local_addrs", []string{"192.0.2.1"})
	c.Set("pools", []string{w.poolName(k % poolsPerClient)})
	c.Set("local", local)
	c.Set("remote", remote)
	c.Set("children", children)
	in := govici.NewMessage()
	in.Set(name, c)
	return in
}

func (w *worker) loadConn(ctx context.Context) {
	k := w.rng.IntN(connsPerClient)
	name := w.connName(k)
	if _, err := w.call(ctx, "load-conn", w.connMessage(name, k)); err != nil {
		w.fail("load-conn %s: %v", name, err)
		w.conns[name] = w.connExists(ctx, name)
		return
	}
	w.conns[name] = true
}

func (w *worker) unloadConn(ctx context.Context) {
	name := w.connName(w.rng.IntN(connsPerClient))
	in := govici.NewMessage()
	in.Set("name", name)
	out, err := w.call(ctx, "unload-conn", in)
	notFound := fmt.Sprintf("unload: connection '%s' not found", name)
	switch had := w.conns[name]; {
	case had && err != nil:
		w.fail("unload-conn %s: %v", name, err)
		w.conns[name] = w.connExists(ctx, name)
		return
	case !had && (err == nil || out == nil || out.Get("errmsg") != notFound):
		w.fail("unload-conn of absent %s: reply %v, %v", name, out, err)
	}
	delete(w.conns, name)
}

// listConn streams one connection by name: one list-conn event if it is
// loaded, none if not.
func (w *worker) listConn(ctx context.Context) {
	k := w.rng.IntN(connsPerClient)
	name := w.connName(k)
	in := govici.NewMessage()
	in.Set("ike", name)
	if _, err := w.call(ctx, "list-conns", in); err != nil {
		w.fail("list-conns %s: %v", name, err)
		return
	}
	var got []*govici.Message
	for len(w.events) > 0 {
		got = append(got, (<-w.events).Message)
	}
	switch {
	case w.conns[name] && len(got) != 1:
		w.fail("list-conns %s: %d events for a loaded connection", name, len(got))
	case !w.conns[name] && len(got) != 0:
		w.fail("list-conns %s: %d events for an unloaded connection", name, len(got))
	case len(got) == 1:
		sec, ok := got[0].Get(name).(*govici.Message)
		if !ok || sec.Get("version") != "IKEv2" {
			w.fail("list-conns %s: event %v", name, got[0])
			return
		}
		local, _ := sec.Get("local-1").(*govici.Message)
		if local == nil || local.Get("id") != fmt.Sprintf("w%d-c%d.example.org", w.id, k) {
			w.fail("list-conns %s: local auth %v", name, sec.Get("local-1"))
		}
	}
}

// connExists asks the daemon, after a failed call, whether name is loaded.
func (w *worker) connExists(ctx context.Context, name string) bool {
	out, err := w.sess.Call(ctx, "get-conns", nil)
	if err != nil {
		return false
	}
	list, _ := out.Get("conns").([]string)
	for _, n := range list {
		if n == name {
			return true
		}
	}
	return false
}
