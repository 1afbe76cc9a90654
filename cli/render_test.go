package cli

import (
	"bytes"
	"testing"

	"github.com/charond/charond/vici"
)

func poolsReply(leases bool) *vici.Message {
	m := vici.NewMessage()
	p := m.AddSection("rw_pool_v4")
	p.Set("base", "10.3.0.0").Set("size", "14").Set("online", "1").Set("offline", "0")
	if leases {
		l := p.AddSection("leases")
		l.AddSection("0").Set("address", "10.3.0.1").Set("identity", "carol@example.org").
			Set("status", "online")
	}
	p = m.AddSection("rw_pool_v6")
	p.Set("base", "fec3::").Set("size", "254").Set("online", "0").Set("offline", "0")
	if leases {
		p.AddSection("leases")
	}
	return m
}

// Expected texts are swanctl 5.9.8's output for the same replies.
func TestDump(t *testing.T) {
	tests := []struct {
		name  string
		label string
		msg   *vici.Message
		f     format
		want  string
	}{
		{"raw empty", "get-pools reply", vici.NewMessage(), formatRaw, "get-pools reply {}\n"},
		{"pretty empty", "list-conns reply", vici.NewMessage(), formatPretty,
			"list-conns reply {\n}\n"},
		{"raw pools", "get-pools reply", poolsReply(true), formatRaw,
			"get-pools reply {rw_pool_v4 {base=10.3.0.0 size=14 online=1 offline=0 " +
				"leases {0 {address=10.3.0.1 identity=carol@example.org status=online}}} " +
				"rw_pool_v6 {base=fec3:: size=254 online=0 offline=0 leases {}}}\n"},
		{"pretty pools", "get-pools reply", poolsReply(false), formatPretty,
			"get-pools reply {\n  rw_pool_v4 {\n    base = 10.3.0.0\n    size = 14\n" +
				"    online = 1\n    offline = 0\n  }\n  rw_pool_v6 {\n    base = fec3::\n" +
				"    size = 254\n    online = 0\n    offline = 0\n  }\n}\n"},
		{"raw lists", "get-conns reply",
			vici.NewMessage().SetList("conns", []string{"rw", "rw-extra"}).SetList("e", nil),
			formatRaw, "get-conns reply {conns=[rw rw-extra] e=[]}\n"},
		{"pretty lists", "get-shared reply",
			vici.NewMessage().SetList("keys", []string{"a"}).SetList("e", nil), formatPretty,
			"get-shared reply {\n  keys = [\n    a\n  ]\n  e = [\n  ]\n}\n"},
		{"binary value", "x reply", vici.NewMessage().Set("data", "a\x00\xff"), formatRaw,
			"x reply {data=0x6100ff}\n"},
		{"spaces kept", "x reply", vici.NewMessage().Set("class", "pre-shared key"),
			formatRaw, "x reply {class=pre-shared key}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			dump(&b, tt.label, tt.msg, tt.f)
			if b.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tt.want)
			}
		})
	}
}

func listConnEvent() *vici.Message {
	m := vici.NewMessage()
	c := m.AddSection("rw")
	c.SetList("local_addrs", []string{"192.0.2.1"}).SetList("remote_addrs", []string{"%any"})
	c.Set("version", "IKEv2").Set("reauth_time", "0").Set("rekey_time", "14400")
	c.Set("unique", "UNIQUE_NO")
	l := c.AddSection("local-1")
	l.Set("id", "moon.example.org").Set("class", "pre-shared key")
	for _, k := range []string{"groups", "cert_policy", "certs", "cacerts"} {
		l.SetList(k, nil)
	}
	r := c.AddSection("remote-1")
	r.Set("class", "pre-shared key").SetList("groups", []string{"g1", "g2"})
	ch := c.AddSection("children").AddSection("net")
	ch.Set("mode", "TUNNEL").Set("rekey_time", "3600").Set("rekey_bytes", "0")
	ch.Set("rekey_packets", "0").Set("dpd_action", "none").Set("close_action", "none")
	ch.SetList("local-ts", []string{"10.1.0.0/16", "fec1::/64"})
	ch.SetList("remote-ts", []string{"dynamic"})
	return m
}

func TestRenderers(t *testing.T) {
	dpd := listConnEvent()
	dpd.Section("rw").Set("dpd_delay", "30").Set("reauth_time", "3600")
	dpd.Section("rw").Section("children").Section("net").Set("rekey_bytes", "5000")
	eap := vici.NewMessage()
	c := eap.AddSection("any")
	c.Set("version", "IKEv1/2").Set("reauth_time", "3600").Set("rekey_time", "0")
	c.Set("ppk_required", "yes")
	c.AddSection("local-1").Set("class", "public key").Set("id", "C=CH, O=x").
		SetList("groups", []string{"a", "b"})
	c.AddSection("remote-1").Set("eap-type", "EAP_TLS").Set("class", "EAP").
		Set("ca_id", "foo").SetList("cert_policy", []string{"1.2.3"}).SetList("certs", nil)
	ch := c.AddSection("children").AddSection("t")
	ch.Set("mode", "TRANSPORT").Set("rekey_time", "3600").Set("rekey_bytes", "0")
	ch.SetList("local-ts", []string{"dynamic"}).SetList("remote-ts", []string{"10.5.0.0/16"})
	tests := []struct {
		name   string
		render func(e *env)
		want   string
	}{
		{"pools", func(e *env) { writePools(e, poolsReply(false)) },
			"rw_pool_v4           10.3.0.0                             1 / 0 / 14\n" +
				"rw_pool_v6           fec3::                              0 / 0 / 254\n"},
		{"pools with leases", func(e *env) { writePools(e, poolsReply(true)) },
			"rw_pool_v4           10.3.0.0                             1 / 0 / 14\n" +
				"  10.3.0.1                       online   'carol@example.org'\n" +
				"rw_pool_v6           fec3::                              0 / 0 / 254\n"},
		{"conn", func(e *env) { writeConns(e.stdout, listConnEvent()) },
			"rw: IKEv2, no reauthentication, rekeying every 14400s\n" +
				"  local:  192.0.2.1\n  remote: %any\n" +
				"  local pre-shared key authentication:\n    id: moon.example.org\n" +
				"  remote pre-shared key authentication:\n    groups: g1 g2\n" +
				"  net: TUNNEL, rekeying every 3600s\n" +
				"    local:  10.1.0.0/16 fec1::/64\n    remote: dynamic\n"},
		{"conn with dpd", func(e *env) { writeConns(e.stdout, dpd) },
			"rw: IKEv2, reauthentication every 3600s, rekeying every 14400s, " +
				"dpd delay 30s\n" +
				"  local:  192.0.2.1\n  remote: %any\n" +
				"  local pre-shared key authentication:\n    id: moon.example.org\n" +
				"  remote pre-shared key authentication:\n    groups: g1 g2\n" +
				"  net: TUNNEL, rekeying every 3600s or 5000 bytes, dpd action is none\n" +
				"    local:  10.1.0.0/16 fec1::/64\n    remote: dynamic\n"},
		{"conn with eap and ppk", func(e *env) { writeConns(e.stdout, eap) },
			"any: IKEv1/2, reauthentication every 3600s, no rekeying\n" +
				"  ppk: required\n" +
				"  local public key authentication:\n    id: C=CH, O=x\n    groups: a b\n" +
				"  remote EAP_TLS authentication:\n    ca_id: foo\n    cert policy: 1.2.3\n" +
				"  t: TRANSPORT, rekeying every 3600s\n" +
				"    local:  dynamic\n    remote: 10.5.0.0/16\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			tt.render(&env{stdout: &b})
			if b.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tt.want)
			}
		})
	}
}
