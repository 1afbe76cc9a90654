package pool

import (
	"errors"
	"testing"
)

// FuzzParseAddrs checks that any addrs value either fails with
// ErrInvalidAddrs or gives a pool whose every address lies in one family and
// maps back to its offset, within strongSwan's 2^31 cap.
func FuzzParseAddrs(f *testing.F) {
	for _, s := range []string{
		"10.3.0.0/28", "10.3.0.1-10.3.0.14", "fec3::/120", "10.0.0.0/8", "fd00::/64",
		"10.60.3.8/31", "10.0.0.255/24", "10.3.0.20-10.3.0.10", "fecb::1-fecb::1:0:0:0",
		"10.10.6.1-fec5::1", " 10.10.8.0/24 ", "10.0.0.0/24abc", "::ffff:10.0.0.1/120",
		"0.0.0.0/0", "garbage", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, _, err := ParseAddrs(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidAddrs) {
				t.Fatalf("ParseAddrs(%q) = %v, not ErrInvalidAddrs", s, err)
			}
			return
		}
		if r.Size == 0 || r.Size > 1<<31 {
			t.Fatalf("ParseAddrs(%q) size %d", s, r.Size)
		}
		for _, off := range []uint32{0, r.Size / 2, r.Size - 1} {
			a := r.Addr(off)
			if a.Is4() != r.Base.Is4() {
				t.Fatalf("ParseAddrs(%q): address %v at %d changes family", s, a, off)
			}
			if got, ok := r.Offset(a); !ok || got != off {
				t.Fatalf("ParseAddrs(%q): offset of %v = %d, %v; want %d", s, a, got, ok, off)
			}
			if !r.Contains(a) {
				t.Fatalf("ParseAddrs(%q): %v not contained", s, a)
			}
		}
	})
}
