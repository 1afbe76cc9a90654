package cli

import (
	"bytes"
	"testing"

	"github.com/charond/charond/vici"
)

// TestWriteSAsFull renders an IKE_SA with every optional line, in the
// layout of Debian's swanctl 5.9.8.
func TestWriteSAsFull(t *testing.T) {
	child := vici.NewMessage().Set("name", "net").Set("uniqueid", "7").Set("reqid", "3").
		Set("state", "INSTALLED").Set("mode", "TUNNEL").Set("protocol", "ESP").
		Set("encap", "yes").Set("spi-in", "c1").Set("spi-out", "c2").
		Set("cpi-in", "a1").Set("mark-in", "00000010").Set("mark-mask-in", "ffffffff").
		Set("if-id-out", "00000005").Set("encr-alg", "AES_GCM_16").Set("encr-keysize", "256").
		Set("dh-group", "CURVE_25519").Set("esn", "1").
		Set("bytes-in", "1234").Set("packets-in", "12").Set("use-in", "3").
		Set("bytes-out", "0").Set("packets-out", "0").
		Set("rekey-time", "100").Set("life-time", "200").Set("install-time", "5").
		Set("label", "73797374656d5f753a6f626a6563745f723a69707365635f7370645f743a733000").
		SetList("local-ts", []string{"10.1.0.0/16", "fec1::/64"}).
		SetList("remote-ts", []string{"10.3.0.1/32"})
	sa := vici.NewMessage().Set("uniqueid", "1").Set("version", "2").
		Set("state", "ESTABLISHED").Set("local-host", "192.0.2.1").Set("local-port", "4500").
		Set("local-id", "moon").Set("remote-host", "192.0.2.2").Set("remote-port", "4500").
		Set("remote-id", "carol").Set("remote-eap-id", "c@x").Set("remote-xauth-id", "xa").
		Set("initiator", "yes").Set("initiator-spi", "aa").Set("responder-spi", "bb").
		Set("encr-alg", "AES_CBC").Set("encr-keysize", "128").Set("integ-alg", "HMAC_SHA2_256_128").
		Set("prf-alg", "PRF_HMAC_SHA2_256").Set("dh-group", "MODP_2048").Set("ppk", "yes").
		Set("established", "9").Set("rekey-time", "10").Set("reauth-time", "11").
		Set("life-time", "12").SetList("local-vips", []string{"10.3.0.1", "fec3::1"}).
		SetList("tasks-active", []string{"IKE_DPD", "CHILD_REKEY"}).
		SetList("tasks-passive", []string{"IKE_MOBIKE"})
	sa.AddSection("child-sas").SetSection("net-7", child)
	var b bytes.Buffer
	writeSAs(&b, vici.NewMessage().SetSection("rw", sa))
	want := `rw: #1, ESTABLISHED, IKEv2, aa_i* bb_r
  local  'moon' @ 192.0.2.1[4500] [10.3.0.1 fec3::1]
  remote 'carol' @ 192.0.2.2[4500] EAP: 'c@x' XAuth: 'xa'
  AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048/PPK
  established 9s ago, rekeying in 10s, reauth in 11s, expires in 12s
  active:  IKE_DPD CHILD_REKEY
  passive: IKE_MOBIKE
  net: #7, reqid 3, INSTALLED, TUNNEL-in-UDP, ESP:AES_GCM_16-256/CURVE_25519/ESN
    installed 5s ago, rekeying in 100s, expires in 200s
    in  c1/a1 (0x00000010/0xffffffff),   1234 bytes,    12 packets,     3s ago
    out c2 (-|0x00000005),      0 bytes,     0 packets
    label  system_u:object_r:ipsec_spd_t:s0
    local  10.1.0.0/16 fec1::/64
    remote 10.3.0.1/32
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestWriteSAsAsSwanctlParses covers what swanctl's parsing implies: an
// IKE_SA is printed only when its child-sas section comes, from the values
// before it; missing values print as "(null)"; unprintable ones are
// dropped; top-level values of an event are ignored.
func TestWriteSAsAsSwanctlParses(t *testing.T) {
	sa := vici.NewMessage().Set("uniqueid", "2").Set("state", "CONNECTING").
		Set("remote-id", "bad\x01id")
	sa.AddSection("child-sas").AddSection("c-1").Set("name", "c").Set("spi-in", "01")
	sa.Set("version", "2") // after child-sas: not seen by swanctl
	noChildren := vici.NewMessage().Set("uniqueid", "3")
	ev := vici.NewMessage().Set("up", "yes").SetSection("a", sa).SetSection("b", noChildren)
	var b bytes.Buffer
	writeSAs(&b, ev)
	want := `a: #2, CONNECTING, IKEv(null), (null)_i (null)_r*
  local  '(null)' @ (null)[(null)]
  remote '(null)' @ (null)[(null)]
  c: #(null), reqid (null), (null), (null), (null):
    installed (null)s ago
    in  01, (null) bytes, (null) packets
    out (null), (null) bytes, (null) packets
    local  (null)
    remote (null)
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestWriteLabel(t *testing.T) {
	for _, c := range []struct{ hex, want string }{
		{"61626300", "L abc\n"},
		{"616263", "L abc\n"},   // no NUL: swanctl adds one
		{"0x61:62", "L ab\n"},   // strongSwan's hex forms
		{"c3a90a00", "L ???\n"}, // UTF-8 and a newline
		{"00", ""},              // empty
		{"", ""},                // empty
		{"162", "L ?b\n"},       // odd: a leading 0
	} {
		var b bytes.Buffer
		writeLabel(&b, "L ", c.hex, true)
		if b.String() != c.want {
			t.Errorf("%q: %q, want %q", c.hex, b.String(), c.want)
		}
	}
	var b bytes.Buffer
	writeLabel(&b, "L ", "", false)
	if b.Len() != 0 {
		t.Errorf("absent label printed %q", b.String())
	}
}

// TestListPols renders policies as swanctl does: the label as text, and
// "(null)" for what the daemon left out.
func TestListPols(t *testing.T) {
	d := newFakeDaemon(t)
	d.handle("list-policies", func(_ *vici.Message, emit func(string, *vici.Message)) *vici.Message {
		emit("list-policy", vici.NewMessage().SetSection("rw/net", vici.NewMessage().
			Set("child", "net").Set("ike", "rw").Set("mode", "TUNNEL").
			Set("label", "6c626c00").
			SetList("local-ts", []string{"10.1.0.0/16", "fec1::/64"}).
			SetList("remote-ts", []string{"10.3.0.1/32"})))
		emit("list-policy", vici.NewMessage().SetSection("x", vici.NewMessage()))
		return vici.NewMessage()
	})
	r := runSwanctl(t, nil, "--list-pols", "--uri", d.uri)
	want := "rw/net, TUNNEL\n  label:  lbl\n  local:  10.1.0.0/16 fec1::/64\n" +
		"  remote: 10.3.0.1/32\nx, (null)\n  local:  (null)\n  remote: (null)\n"
	if r.rc != 0 || r.out != want {
		t.Errorf("rc %d, stdout:\n%s\nwant:\n%s\nstderr:\n%s", r.rc, r.out, want, r.err)
	}
}
