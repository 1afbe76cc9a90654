package tests

import (
	"fmt"
	"strings"
	"testing"

	govici "github.com/strongswan/govici/vici"
)

// connsPerRequest keeps each load-conn under charond's default limit of
// 10,000 elements per request (a test connection has 16).
const connsPerRequest = 500

// testConn is connection i as sent in load-conn.
func testConn(t *testing.T, i int) *govici.Message {
	t.Helper()
	set := func(m *govici.Message, k string, v any) {
		if err := m.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	local, remote := govici.NewMessage(), govici.NewMessage()
	set(local, "auth", "psk")
	set(local, "id", fmt.Sprintf("gw-%d.lst.test", i))
	set(remote, "auth", "pubkey")
	child, children := govici.NewMessage(), govici.NewMessage()
	set(child, "local_ts", []string{fmt.Sprintf("10.%d.%d.0/24", i>>8&255, i&255)})
	set(children, fmt.Sprintf("net%d", i), child)
	c := govici.NewMessage()
	set(c, "version", "2")
	set(c, "remote_addrs", []string{fmt.Sprintf("192.0.%d.%d", i>>8&255, i&255)})
	set(c, "local", local)
	set(c, "remote", remote)
	set(c, "children", children)
	return c
}

// testConnText is what swanctl --list-conns prints for connection i.
func testConnText(i int) string {
	return fmt.Sprintf("conn%d: IKEv2, no reauthentication, rekeying every 14400s\n"+
		"  local:  %%any\n"+
		"  remote: 192.0.%d.%d\n"+
		"  local pre-shared key authentication:\n"+
		"    id: gw-%d.lst.test\n"+
		"  remote public key authentication:\n"+
		"  net%d: TUNNEL, rekeying every 3600s\n"+
		"    local:  10.%d.%d.0/24\n"+
		"    remote: dynamic\n", i, i>>8&255, i&255, i, i, i>>8&255, i&255)
}

// TestListing100kConns loads 100,000 connections into charond and wants
// swanctl --list-conns to print every one of them, in load order.
func TestListing100kConns(t *testing.T) {
	const n = 100000
	d := startDaemon(t, "charond {\n  log_level = warn\n}\n")
	s := d.session(t)
	for first := 0; first < n; first += connsPerRequest {
		req := govici.NewMessage()
		for i := first; i < first+connsPerRequest; i++ {
			if err := req.Set(fmt.Sprintf("conn%d", i), testConn(t, i)); err != nil {
				t.Fatal(err)
			}
		}
		reply, err := s.Call(callCtx(t), "load-conn", req)
		if err != nil {
			t.Fatalf("load-conn of conn%d...: %v", first, err)
		}
		if reply.Get("success") != "yes" {
			t.Fatalf("load-conn of conn%d...: %v", first, reply.Get("errmsg"))
		}
	}

	r := swanctl(t, "", "--list-conns", "--uri", d.URI)
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.Code, r.Stderr)
	}
	out := r.Stdout
	for i := range n {
		want := testConnText(i)
		if !strings.HasPrefix(out, want) {
			end := min(len(out), len(want))
			t.Fatalf("connection %d: got\n%s\nwant\n%s", i, out[:end], want)
		}
		out = out[len(want):]
	}
	if out != "" {
		t.Fatalf("%d bytes after the last connection: %.200q", len(out), out)
	}
}
