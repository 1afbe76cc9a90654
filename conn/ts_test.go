package conn

import (
	"net/netip"
	"testing"
)

// Expected strings were printed by strongSwan 5.9.8's list-conns for the
// same input.
func TestTSRoundTrip(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.1.0.1", "10.1.0.1/32"},
		{"10.1.0.0/16[tcp/http]", "10.1.0.0/16[tcp/http]"},
		{"10.0.0.1-10.0.0.9", "10.0.0.1..10.0.0.9"},
		{"fec1::/64[udp/500]", "fec1::/64[udp/isakmp]"},
		{"0.0.0.0/0[icmp/8]", "0.0.0.0/0[icmp/8]"},
		{"dynamic[tcp/22]", "dynamic[tcp/ssh]"},
		{"10.2.0.0/16[/1-1024]", "10.2.0.0/16[0/1-1024]"},
		{"10.9.0.0/16[6/opaque]", "10.9.0.0/16[tcp/OPAQUE]"},
		{"10.5.0.0/255.255.0.0", "10.5.0.0/32"},
		{"10.1.0.0/16[/80]", "10.1.0.0/16[0/http]"},
		{"10.0.0.0/8[0/0]", "10.0.0.0/8[0/0]"},
		{"10.1.0.0/16[icmp/8-9]", "10.1.0.0/16[icmp/8-9]"},
		{"10.0.0.0/8[icmp/3-3]", "10.0.0.0/8[icmp/3]"},
		{"10.0.0.0/8[udp/0]", "10.0.0.0/8[udp/0]"},
		{"10.1.0.0/16[tcp/1024-80]", "10.1.0.0/16[tcp/1024-80]"},
		{"10.0.0.0/8[99/7]", "10.0.0.0/8[99/echo]"},
		{"10.0.0.0/8[ipv6-icmp/135]", "10.0.0.0/8[ipv6-icmp/135]"},
		{"dynamic[udp]", "dynamic[udp]"},
		{"10.1.2.3/24", "10.1.2.0/24"},
		{"10.0.0.0-10.255.255.255", "10.0.0.0/8"},
		{"10.0.0.0/8[tcp/0-0]", "10.0.0.0/8[tcp/0]"},
		{"10.0.0.0/8[tcp/1-65535]", "10.0.0.0/8[tcp/1-65535]"},
		{"10.0.0.0/8[2/1]", "10.0.0.0/8[igmp/1]"},
		{"10.0.0.0/8[tcp/99]", "10.0.0.0/8[tcp/99]"},
		{"10.0.0.0/8[255/1]", "10.0.0.0/8[255/tcpmux]"},
		{"10.0.0.0/8[0]", "10.0.0.0/8"},
		{"10.0.0.0/8[]", "10.0.0.0/8"},
		{"10.0.0.0/8[tcp/]", "10.0.0.0/8[tcp]"},
		{"10.1.0.0/33", "10.1.0.0/32"},
		{"fec1::1-fec1::5", "fec1::1..fec1::5"},
		{"10.1.0.0/016", "10.1.0.0/16"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			ts, err := ParseTS(tt.in)
			if err != nil {
				t.Fatalf("ParseTS: %v", err)
			}
			if got := ts.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTSInvalid(t *testing.T) {
	for _, in := range []string{
		"10.3.0.0/16[17/%any]", "10.1.0.0/16[tcp/65536]", "10.1.0.0/16[icmp/3/1]",
		"moon", "10.1.0.0/16[TCP/HTTP]", "10.1.0.0/16[tcp/%opaque]",
		"10.1.0.0/16[256/1]", "10.0.0.0/8[%any/22]",
	} {
		t.Run(in, func(t *testing.T) {
			if ts, err := ParseTS(in); err == nil {
				t.Errorf("accepted as %v", ts)
			}
		})
	}
}

// TestRangePrefixMatchesSearch checks the direct computation against a
// search over every prefix length.
func TestRangePrefixMatchesSearch(t *testing.T) {
	search := func(from, to netip.Addr) (netip.Prefix, bool) {
		for bits := 0; bits <= from.BitLen(); bits++ {
			p := netip.PrefixFrom(from, bits)
			if p.Masked().Addr() == from && lastAddr(p) == to {
				return p, true
			}
		}
		return netip.Prefix{}, false
	}
	addrs := []string{"0.0.0.0", "255.255.255.255", "10.1.0.0", "10.1.255.255",
		"10.1.0.1", "10.1.127.255", "10.0.0.0", "10.255.255.255", "::", "fec1::",
		"fec1::ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		"::ffff:10.1.0.0", "::ffff:10.1.255.255", "fec1::1"}
	for _, f := range addrs {
		for _, s := range addrs {
			from, to := netip.MustParseAddr(f), netip.MustParseAddr(s)
			gp, gok := rangePrefix(from, to)
			wp, wok := search(from, to)
			if gp != wp || gok != wok {
				t.Errorf("rangePrefix(%s, %s) = %v %v, want %v %v", f, s, gp, gok, wp, wok)
			}
		}
	}
}
