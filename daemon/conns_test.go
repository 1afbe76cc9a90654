package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/charond/charond/vici"
)

// connRaw renders a message like swanctl --raw does.
func connRaw(m *vici.Message) string {
	var parts []string
	for _, e := range m.Entries() {
		switch e.Kind {
		case vici.KindValue:
			parts = append(parts, e.Name+"="+e.Value)
		case vici.KindList:
			parts = append(parts, e.Name+"=["+strings.Join(e.Items, " ")+"]")
		case vici.KindSection:
			parts = append(parts, e.Name+" "+connRaw(e.Section))
		}
	}
	return "{" + strings.Join(parts, " ") + "}"
}

// sec builds a section from alternating names and values: a string value,
// a []string list or a *vici.Message section.
func sec(kv ...any) *vici.Message {
	m := vici.NewMessage()
	for i := 0; i+1 < len(kv); i += 2 {
		name := kv[i].(string)
		switch v := kv[i+1].(type) {
		case string:
			m.Set(name, v)
		case []string:
			m.SetList(name, v)
		case *vici.Message:
			m.SetSection(name, v)
		}
	}
	return m
}

// The expected events were printed by Debian's strongSwan 5.9.8
// (swanctl --list-conns --raw) after loading the same requests.
func TestListConnsMatches598(t *testing.T) {
	auth := " groups=[] cert_policy=[] certs=[] cacerts=[]}"
	tests := []struct {
		name string
		conn *vici.Message
		want string
	}{{
		name: "gateway",
		conn: sec("version", "2", "local_addrs", []string{"192.0.2.1"},
			"pools", []string{"rw_pool_v4", "rw_pool_v6"},
			"local", sec("auth", "psk", "id", "moon.example.org"),
			"remote", sec("auth", "psk"),
			"children", sec("net", sec("local_ts", []string{"10.1.0.0/16", "fec1::/64"}))),
		want: "{gw {local_addrs=[192.0.2.1] remote_addrs=[%any] version=IKEv2 reauth_time=0" +
			" rekey_time=14400 unique=UNIQUE_NO local-1 {id=moon.example.org" +
			" class=pre-shared key" + auth + " remote-1 {class=pre-shared key" + auth +
			" children {net {mode=TUNNEL rekey_time=3600 rekey_bytes=0 rekey_packets=0" +
			" dpd_action=none close_action=none local-ts=[10.1.0.0/16 fec1::/64]" +
			" remote-ts=[dynamic]}}}}",
	}, {
		name: "auth rule order and rounds",
		conn: sec("version", "1", "unique", "replace", "dpd_delay", "30",
			"dpd_timeout", "120", "ppk_id", "foo", "ppk_required", "yes", "reauth_time", "3h",
			"local-x", sec("revocation", "strict", "auth", "eap-tls", "ca_id", "CN=ca",
				"aaa_id", "aaa@x", "eap_id", "e@x", "groups", []string{"g1", "g2"},
				"cert_policy", []string{"1.2.3"}),
			"remote", sec("auth", "xauth-pam", "xauth_id", "xu", "id", "carol"),
			"local-a", sec("round", "1", "auth", "eap-md5")),
		want: "{gw {local_addrs=[%any] remote_addrs=[%any] version=IKEv1 reauth_time=10800" +
			" rekey_time=0 unique=UNIQUE_REPLACE dpd_delay=30 dpd_timeout=120 ppk_id=foo" +
			" ppk_required=yes local-1 {eap_id=e@x aaa_id=aaa@x eap-type=EAP_TLS class=EAP" +
			" revocation=GOOD ca_id=CN=ca groups=[g1 g2] cert_policy=[1.2.3] certs=[]" +
			" cacerts=[]} local-2 {eap-type=EAP_MD5 class=EAP" + auth +
			" remote-1 {id=carol xauth_id=xu class=XAuth xauth=pam" + auth + " children {}}}",
	}, {
		name: "children settings",
		conn: sec("version", "7",
			"local", sec("auth", "eap-aka-prime", "groups", []string{"@g1", "C=CH,O=x"}),
			"remote", sec("auth", "eap-tls-12"),
			"local-b", sec("auth", "eap-md5:foo", "eap_id", "carol"),
			"remote-c", sec("auth", "xauth-"),
			"children", sec("c", sec("label", "system_u:object_r",
				"start_action", "start|trap", "close_action", "restart",
				"dpd_action", "route", "rekey_bytes", "10k", "life_packets", "1000",
				"priority", "0x10", "local_ts", []string{"%any", "%any6"}))),
		want: "{gw {local_addrs=[%any] remote_addrs=[%any] version=(7) reauth_time=0" +
			" rekey_time=14400 unique=UNIQUE_NO local-1 {class=EAP groups=[g1 C=CH, O=x]" +
			" cert_policy=[] certs=[] cacerts=[]} local-2 {eap_id=carol eap-type=EAP_MD5" +
			" class=EAP" + auth + " remote-1 {eap-vendor=12 eap-type=EAP_TLS class=EAP" +
			auth + " remote-2 {class=XAuth xauth=" + auth + " children {c {mode=TUNNEL" +
			" label=73797374656d5f753a6f626a6563745f7200 rekey_time=3600" +
			" rekey_bytes=10240 rekey_packets=0 dpd_action=trap close_action=start" +
			" local-ts=[0.0.0.0/32 ::/128] remote-ts=[dynamic] priority=16}}}}",
	}, {
		name: "identities",
		conn: sec("dpd_delay", "0x10", "dpd_timeout", "1m", "rekey_time", "010",
			"reauth_time", "1 d",
			"local", sec("id", "C=CH,O=x,CN=y"), "remote", sec("id", "@moon"),
			"local2", sec("id", "/C=CH/O=x y/CN=z"), "remote2", sec("id", "2001:DB8::1"),
			"local3", sec("id", "@#0a0b"), "remote3", sec("id", "email:foo")),
		want: "{gw {local_addrs=[%any] remote_addrs=[%any] version=IKEv1/2" +
			" reauth_time=86400 rekey_time=8 unique=UNIQUE_NO dpd_delay=16 dpd_timeout=60" +
			" local-1 {id=C=CH, O=x, CN=y" + auth + " local-2 {id=C=CH, O=x y, CN=z" + auth +
			" local-3 {id=0a:0b" + auth + " remote-1 {id=moon" + auth +
			" remote-2 {id=2001:db8::1" + auth + " remote-3 {id=foo" + auth +
			" children {}}}",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, h := newTestDaemon(t, Options{})
			r, _ := h.call(t, "load-conn", sec("gw", tt.conn))
			if got := connRaw(r); got != "{success=yes}" {
				t.Fatalf("load-conn: %s", got)
			}
			r, evs := h.call(t, "list-conns", nil)
			if r.Len() != 0 || len(evs) != 1 || evs[0].Name != "list-conn" {
				t.Fatalf("list-conns: reply %s, %d events", connRaw(r), len(evs))
			}
			if got := connRaw(evs[0].Message); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// Error replies as Debian's strongSwan 5.9.8 sends them.
func TestLoadConnErrors(t *testing.T) {
	tests := []struct {
		name string
		req  *vici.Message
		want string
	}{
		{"unknown key", sec("q", sec("foo", "bar")), "unknown option: foo, config discarded"},
		{"list for scalar", sec("q", sec("version", []string{"2"})),
			"unknown option: version, config discarded"},
		{"scalar for list", sec("q", sec("local_addrs", "1.2.3.4")),
			"unknown option: local_addrs, config discarded"},
		{"bad version", sec("q", sec("version", "x")), "invalid value for: version, config discarded"},
		{"bad ts", sec("q", sec("children", sec("c", sec("local_ts", []string{"moon"})))),
			"invalid value for: local_ts, config discarded"},
		{"bad auth", sec("q", sec("local", sec("auth", "any"))),
			"invalid value for: auth, config discarded"},
		{"bad section", sec("q", sec("bogus", sec())), "invalid section: bogus"},
		{"bad auth section", sec("q", sec("local", sec("foo", sec()))), "invalid section: foo"},
		{"cert without file", sec("q", sec("local", sec("cert1", sec()))),
			"handle or file path missing: cert1"},
		{"cert with both", sec("q", sec("local", sec("cert1", sec("file", "/x", "handle", "00")))),
			"handle and file path given: cert1"},
		{"cert missing file", sec("q", sec("local", sec("cert", sec("file", "/nonexistent")))),
			"unable to load certificate: cert"},
		{"children as value", sec("q", sec("children", "y")),
			"unknown option: children, config discarded"},
		{"garbage cert", sec("q", sec("local", sec("certs", []string{"garbage"}))),
			"invalid value for: certs, config discarded"},
		{"vips", sec("q", sec("vips", []string{"moon"})), "invalid value for: vips, config discarded"},
		{"proposal", sec("q", sec("proposals", []string{"bogus"})),
			"invalid value for: proposals, config discarded"},
		{"childless prefer is 6.0", sec("q", sec("childless", "bogus")),
			"invalid value for: childless, config discarded"},
		{"dpd_action hold", sec("q", sec("children", sec("c", sec("dpd_action", "hold")))),
			"invalid value for: dpd_action, config discarded"},
		{"set_mark unique", sec("q", sec("children", sec("c", sec("set_mark_out", "%unique")))),
			"invalid value for: set_mark_out, config discarded"},
		{"rekey fraction", sec("q", sec("rekey_time", "1.5h")),
			"invalid value for: rekey_time, config discarded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, h := newTestDaemon(t, Options{})
			r, _ := h.call(t, "load-conn", tt.req)
			if got, want := connRaw(r), "{success=no errmsg="+tt.want+"}"; got != want {
				t.Errorf("got %s, want %s", got, want)
			}
			r, _ = h.call(t, "get-conns", nil)
			if got := connRaw(r); got != "{conns=[]}" {
				t.Errorf("failed config was stored: %s", got)
			}
		})
	}
}

// Accepted silently by 5.9.8.
func TestLoadConnAccepts(t *testing.T) {
	tests := []struct {
		name string
		req  *vici.Message
	}{
		{"empty message", sec()},
		{"empty section", sec("q", sec())},
		{"unknown pool", sec("q", sec("pools", []string{"nope"}))},
		{"version 7", sec("q", sec("version", "7"))},
		{"bad local_addrs", sec("q", sec("local_addrs", []string{"not an address"}))},
		{"root key ignored", sec("foo", "bar")},
		{"value in children", sec("q", sec("children", sec("x", "y")))},
		{"section in child", sec("q", sec("children", sec("c", sec("x", sec()))))},
		{"mark unique", sec("q", sec("children", sec("c", sec("mark_in", "%unique/0xff"))))},
		{"if_id unique", sec("q", sec("if_id_in", "%unique"))},
		{"vips any", sec("q", sec("vips", []string{"%any", "::"}))},
		{"empty time", sec("q", sec("rekey_time", ""))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, h := newTestDaemon(t, Options{})
			if r, _ := h.call(t, "load-conn", tt.req); connRaw(r) != "{success=yes}" {
				t.Errorf("got %s", connRaw(r))
			}
		})
	}
}

// Order as 5.9.8 keeps it: a reloaded name stays in place, an unloaded
// and reloaded one goes to the end; a failing connection stops the request.
func TestConnOrderAndUnload(t *testing.T) {
	_, h := newTestDaemon(t, Options{})
	steps := []struct {
		cmd  string
		req  *vici.Message
		want string
	}{
		{"load-conn", sec("a", sec(), "b", sec(), "c", sec()), "{success=yes}"},
		{"load-conn", sec("b", sec("version", "2")), "{success=yes}"},
		{"get-conns", nil, "{conns=[a b c]}"},
		{"unload-conn", sec("name", "a"), "{success=yes}"},
		{"load-conn", sec("a", sec()), "{success=yes}"},
		{"get-conns", nil, "{conns=[b c a]}"},
		{"load-conn", sec("y", sec(), "z", sec("version", "x"), "w", sec()),
			"{success=no errmsg=invalid value for: version, config discarded}"},
		{"get-conns", nil, "{conns=[b c a y]}"},
		{"unload-conn", nil, "{success=no errmsg=unload: missing connection name}"},
		{"unload-conn", sec("name", "nope"),
			"{success=no errmsg=unload: connection 'nope' not found}"},
	}
	for _, s := range steps {
		if r, _ := h.call(t, s.cmd, s.req); connRaw(r) != s.want {
			t.Fatalf("%s %s: got %s, want %s", s.cmd, connRaw(s.req), connRaw(r), s.want)
		}
	}
	r, evs := h.call(t, "list-conns", sec("ike", "c"))
	if r.Len() != 0 || len(evs) != 1 || evs[0].Message.Keys()[0] != "c" {
		t.Errorf("filter ike=c: %d events", len(evs))
	}
	if _, evs = h.call(t, "list-conns", sec("ike", "nope")); len(evs) != 0 {
		t.Errorf("unknown name: %d events", len(evs))
	}
}

// benchConn is a connection of the side-by-side benchmark (bench/gen.go).
func benchConn(i int) *vici.Message {
	return sec(fmt.Sprintf("rw%05d", i), sec("version", "2",
		"local_addrs", []string{"192.0.2.1"},
		"remote_addrs", []string{fmt.Sprintf("198.51.%d.%d", 100+i/250, 1+i%250)},
		"proposals", []string{"aes128-sha256-x25519", "aes256gcm16-prfsha384-ecp384"},
		"pools", []string{fmt.Sprintf("pool%03d", i%100)}, "dpd_delay", "30s",
		"local", sec("auth", "psk", "id", "gw.example.org"),
		"remote", sec("auth", "psk", "id", fmt.Sprintf("client%05d@example.org", i)),
		"children", sec("net", sec("local_ts", []string{"10.1.0.0/16", "fec1::/64"},
			"esp_proposals", []string{"aes128gcm16", "aes128-sha256"},
			"dpd_action", "clear"))))
}

// BenchmarkLoadConn is the daemon's side of one load-conn request of
// swanctl --load-all, without the socket.
func BenchmarkLoadConn(b *testing.B) {
	d := New(Options{Logger: slog.New(slog.DiscardHandler)})
	h := handlers{}
	d.Register(h)
	reqs := make([]*vici.Request, 1000)
	for i := range reqs {
		reqs[i] = vici.NewRequest("load-conn", benchConn(i), nil)
	}
	f := h["load-conn"]
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f(context.Background(), reqs[i%len(reqs)])
		i++
	}
}

// BenchmarkListConns streams 1,000 connections, each event encoded as the
// server sends it; --list-conns of 10,000 costs ten times this.
func BenchmarkListConns(b *testing.B) {
	d := New(Options{Logger: slog.New(slog.DiscardHandler)})
	h := handlers{}
	d.Register(h)
	for i := range 1000 {
		h["load-conn"](context.Background(), vici.NewRequest("load-conn", benchConn(i), nil))
	}
	var buf []byte
	req := vici.NewRequest("list-conns", nil, func(_ string, ev *vici.Message) bool {
		var err error
		buf, err = ev.AppendEncoded(buf[:0])
		return err == nil
	})
	f := h["list-conns"]
	b.ReportAllocs()
	for b.Loop() {
		f(context.Background(), req)
	}
}
