package daemon

import (
	"strings"
	"testing"

	"github.com/charond/charond/vici"
)

// argInt answers what charon's get_int does: strtol's syntax, the whole
// value a number, no overflow (charon checks errno), cut to a C int.
func TestArgInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"7", 7},
		{" 7", 7},
		{"+7", 7},
		{"-1", -1},
		{"010", 8},
		{"0x1f", 31},
		{"0xffffffff", -1},
		{"4294967297", 1},
		{strings.Repeat("0", 31) + "12", 0}, // only 31 bytes are read
		{"1_0", 99},
		{"0b11", 99},
		{"0o7", 99},
		{"7 ", 99},
		{"7x", 99},
		{"", 99},
		{"x", 99},
		{"99999999999999999999", 99},
		{"-99999999999999999999", 99},
		{"\x01", 99},
	}
	for _, tc := range tests {
		m := vici.NewMessage().Set("n", tc.in)
		if got := argInt(m, "n", 99); got != tc.want {
			t.Errorf("argInt(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
	if got := argInt(vici.NewMessage(), "n", 99); got != 99 {
		t.Errorf("missing: %d, want 99", got)
	}
}
