package conn

import (
	"math"
	"testing"
)

// parseUint takes a whole C number and nothing else.
func TestParseUint(t *testing.T) {
	for in, want := range map[string]bool{"1_0": false, "0b11": false, "0x10": true,
		"-99999999999999999999": true} {
		if _, ok := parseUint(in); ok != want {
			t.Errorf("parseUint(%q) ok = %v, want %v", in, ok, want)
		}
	}
	if v, _ := parseUint32("-99999999999999999999"); v != math.MaxUint32 {
		t.Errorf("parseUint32 of a negative overflow = %d, want %d", v, uint32(math.MaxUint32))
	}
}
