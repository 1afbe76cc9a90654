package ike

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/charond/charond/conn"
)

func TestParseProposals(t *testing.T) {
	cases := []struct {
		proto uint8
		in    string
		want  []Transform // nil when an error is expected
	}{
		{ProtoIKE, "aes256-sha256-modp2048", []Transform{{TransEncr, EncrAESCBC, 256, false},
			{TransInteg, IntegSHA256128, 0, false}, {TransDH, GroupMODP2048, 0, false},
			{TransPRF, PRFHMACSHA256, 0, false}}},
		{ProtoIKE, "aes128gcm16-prfsha256-x25519", []Transform{
			{TransEncr, EncrAESGCM16, 128, false}, {TransPRF, PRFHMACSHA256, 0, false},
			{TransDH, GroupCurve25519, 0, false}}},
		{ProtoESP, "aes128-sha256", []Transform{{TransEncr, EncrAESCBC, 128, false},
			{TransInteg, IntegSHA256128, 0, false}}},
		{ProtoESP, "aes256gcm16-esn", []Transform{{TransEncr, EncrAESGCM16, 256, false},
			{TransESN, 1, 0, false}}},
		{ProtoIKE, "aes128-sha256", nil},             // no DH group
		{ProtoIKE, "aes128gcm16-x25519", nil},        // AEAD without PRF
		{ProtoIKE, "aes128gcm16-sha256-x25519", nil}, // AEAD with integrity
		{ProtoIKE, "3des-sha1-modp1024", nil},        // not implemented
		{ProtoESP, "aes128-prfsha256", nil},
	}
	for _, c := range cases {
		ps, err := ParseProposals(c.proto, []string{c.in})
		if c.want == nil {
			if !errors.Is(err, ErrProposal) {
				t.Errorf("%s: got %v, want ErrProposal", c.in, err)
			}
			continue
		}
		if err != nil || len(ps) != 1 || !equalTransforms(ps[0].Transforms, c.want) {
			t.Errorf("%s: got %+v, %v", c.in, ps, err)
		}
	}
	ps, err := ParseProposals(ProtoIKE, []string{"default"})
	if err != nil || len(ps) != len(defaultIKE) {
		t.Errorf("default: %d proposals, %v", len(ps), err)
	}
}

func TestSelectConfiguredOrder(t *testing.T) {
	ours, _ := ParseProposals(ProtoIKE, []string{"aes256-sha384-ecp384",
		"aes128-sha256-x25519-ecp256"})
	theirs, _ := ParseProposals(ProtoIKE, []string{"aes128-aes256-sha256-sha384-ecp256-ecp384"})
	theirs[0].Num = 1
	sel, ok := Select(ours, theirs, false)
	want := []Transform{{TransEncr, EncrAESCBC, 256, false}, {TransPRF, PRFHMACSHA384, 0, false},
		{TransInteg, IntegSHA384192, 0, false}, {TransDH, GroupECP384, 0, false}}
	if !ok || !equalTransforms(sel.Transforms, want) {
		t.Fatalf("selected %+v, want our first proposal", sel)
	}
	// A KE payload for ECP-256 steers the choice of group, not the rest.
	sel, _ = SelectKE(ours, theirs, GroupECP256)
	if sel.Transforms[3].ID != GroupECP384 {
		t.Fatalf("group %d: our first proposal does not allow ECP-256", sel.Transforms[3].ID)
	}
	ours2, _ := ParseProposals(ProtoIKE, []string{"aes128-sha256-ecp384-ecp256"})
	sel, _ = SelectKE(ours2, theirs, GroupECP256)
	if sel.Transforms[3].ID != GroupECP256 {
		t.Fatalf("group %d, want the KE payload's ECP-256", sel.Transforms[3].ID)
	}
	// ESP without ESN in our proposal accepts a peer offering "no ESN" only.
	espOurs, _ := ParseProposals(ProtoESP, []string{"aes128-sha256"})
	espTheirs, _ := ParseProposals(ProtoESP, []string{"aes128-sha256-esn"})
	if _, ok := Select(espOurs, espTheirs, true); ok {
		t.Fatal("ESN-only peer accepted without ESN configured")
	}
	espTheirs[0].Transforms = append(espTheirs[0].Transforms, Transform{Type: TransESN})
	if sel, ok := Select(espOurs, espTheirs, true); !ok || sel.Transforms[2].ID != 0 {
		t.Fatalf("got %+v, want no ESN", sel)
	}
}

func TestNarrow(t *testing.T) {
	all4 := anySel("0.0.0.0", "255.255.255.255")
	all6 := anySel("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")
	vips := []netip.Addr{netip.MustParseAddr("10.3.0.1"), netip.MustParseAddr("fec3::1")}
	cases := []struct {
		name     string
		conf     []conn.TS
		hosts    []netip.Addr
		proposed []Selector
		want     string
	}{
		{"dynamic to vips", nil, vips, []Selector{all4, all6}, "10.3.0.1/32 fec3::1/128"},
		{"static not narrowed to lease", []conn.TS{mustTS("10.3.0.0/28")}, vips,
			[]Selector{all4, all6}, "10.3.0.0/28"},
		{"dynamic without hosts", nil, nil, []Selector{all4}, ""},
		{"peer narrower", []conn.TS{mustTS("10.1.0.0/16")}, nil,
			[]Selector{anySel("10.1.2.0", "10.1.2.255")}, "10.1.2.0/24"},
		{"disjoint", []conn.TS{mustTS("10.1.0.0/16")}, nil,
			[]Selector{anySel("10.2.0.0", "10.2.255.255")}, ""},
		{"protocol and port", []conn.TS{mustTS("10.1.0.0/16[tcp/80]")}, nil,
			[]Selector{all4}, "10.1.0.0/16[6/80-80]"},
		{"contained duplicate dropped",
			[]conn.TS{mustTS("10.0.0.0/8"), mustTS("10.1.0.0/16")}, nil,
			[]Selector{all4}, "10.0.0.0/8"},
	}
	for _, c := range cases {
		if got := tsText(narrow(c.conf, c.hosts, c.proposed)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
