package pool

import (
	"errors"
	"net/netip"
	"slices"
	"testing"
)

func TestParseAddrs(t *testing.T) {
	tests := []struct {
		in    string
		base  string // "" means refused
		size  uint32
		notes []string
	}{
		{"10.3.0.0/28", "10.3.0.1", 14, nil},
		{"10.3.0.0/24", "10.3.0.1", 254, nil},
		{"10.1.0.128/26", "10.1.0.129", 62, nil},
		{"10.1.0.5/24", "10.1.0.5", 250, nil},
		{"10.0.0.254/24", "10.0.0.254", 1, nil},
		{"10.0.0.255/24", "", 0, []string{"virtual IP pool 10.0.0.255/24 is empty"}},
		{"192.0.2.255/24", "", 0, []string{"virtual IP pool 192.0.2.255/24 is empty"}},
		{"10.0.0.0/30", "10.0.0.1", 2, nil},
		{"10.60.3.12/30", "10.60.3.13", 2, nil},
		{"10.0.0.0/31", "10.0.0.0", 2, nil},
		{"10.0.0.1/31", "10.0.0.1", 1, nil},
		{"10.3.0.3/32", "10.3.0.3", 1, nil},
		{"10.3.0.3", "10.3.0.3", 1, nil},
		{"fec6::5", "fec6::5", 1, nil},
		{"fec7::7/128", "fec7::7", 1, nil},
		{"fec9:2::/127", "fec9:2::", 2, nil},
		{"fec9:2::1/127", "fec9:2::1", 1, nil},
		{"10.3.0.10-10.3.0.20", "10.3.0.10", 11, nil},
		{"10.3.0.10 - 10.3.0.10", "10.3.0.10", 1, nil},
		{"10.10.11.1-10.10.11.1", "10.10.11.1", 1, nil},
		{"fec9:1::10-fec9:1::20", "fec9:1::10", 17, nil},
		{"10.0.0.0-10.127.255.254", "10.0.0.0", 1<<23 - 1, nil},
		{"0.0.0.1-127.255.255.255", "0.0.0.1", 1<<31 - 1, nil},
		{"fec3::/120", "fec3::1", 254, nil},
		{"fec4::/112", "fec4::1", 65534, nil},
		{"10.0.0.0/8", "10.0.0.1", 16777214, nil},
		{"10.11.0.0/16", "10.11.0.1", 65534, nil},
		{"fd00::/64", "fd00::1", 1<<31 - 2,
			[]string{"virtual IP pool too large, limiting to fd00::/97"}},
		{"fec8::/96", "fec8::1", 1<<31 - 2,
			[]string{"virtual IP pool too large, limiting to fec8::/97"}},
		{"fec9::/97", "fec9::1", 1<<31 - 2, nil},
		// Host bits set below a /1: addresses under the given one are
		// never handed out.
		{"10.0.0.0/1", "10.0.0.0", 1<<31 - 0x0a000000 - 1, nil},
		{"10.0.0.0/0", "10.0.0.0", 1<<31 - 0x0a000000 - 1,
			[]string{"virtual IP pool too large, limiting to 10.0.0.0/1"}},
		{"128.0.0.0/0", "128.0.0.1", 1<<31 - 2,
			[]string{"virtual IP pool too large, limiting to 128.0.0.0/1"}},
		{"::ffff:10.0.0.0/120", "::ffff:10.0.0.1", 254, nil},
		// atoi reads the prefix: junk after digits is ignored, none is 0
		// (then clamped to 31 host bits), above the maximum is clamped.
		{"10.0.0.0/24abc", "10.0.0.1", 254, nil},
		{"10.0.0.7/40", "10.0.0.7", 1, nil},
		{"10.3.0.20-10.3.0.10", "", 0,
			[]string{"invalid IP address range: 10.3.0.20-10.3.0.10"}},
		{"10.10.5.20-10.10.5.1", "", 0,
			[]string{"invalid IP address range: 10.10.5.20-10.10.5.1"}},
		{"10.10.6.1-fec5::1", "", 0, nil},
		{"fecb::1-fecb::1:0:0:0", "", 0,
			[]string{"IP address range too large: fecb::1-fecb::1:0:0:0"}},
		{"0.0.0.0-255.255.255.255", "", 0,
			[]string{"IP address range too large: %any-255.255.255.255"}},
		{"0.0.0.1-128.0.0.0", "", 0,
			[]string{"IP address range too large: 0.0.0.1-128.0.0.0"}},
		{"0.0.0.0", "", 0, nil},
		{"%any", "", 0, nil},
		{"::", "", 0, nil},
		{"garbage", "", 0, nil},
		{"localhost", "", 0, nil},
		{"dhcp", "", 0, nil},
		{"", "", 0, nil},
		{" 10.10.8.0/24 ", "", 0, nil},
		{"010.0.0.1", "", 0, nil},
		{"fe80::1%eth0", "", 0, nil},
		{"10.0.0.1/", "10.0.0.1", 1<<31 - 0x0a000001 - 1,
			[]string{"virtual IP pool too large, limiting to 10.0.0.1/1"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, notes, err := ParseAddrs(tt.in)
			if !slices.Equal(notes, tt.notes) {
				t.Errorf("notes %q, want %q", notes, tt.notes)
			}
			if tt.base == "" {
				if !errors.Is(err, ErrInvalidAddrs) {
					t.Fatalf("got %v, %v; want ErrInvalidAddrs", r, err)
				}
				if err.Error() != "pool: invalid addrs value: "+tt.in {
					t.Errorf("error %q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := Range{Base: netip.MustParseAddr(tt.base), Size: tt.size}
			if r != want {
				t.Errorf("got %v, want %v", r, want)
			}
		})
	}
}
