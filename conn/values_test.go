package conn

import (
	"math"
	"testing"
)

// cUint follows glibc's strtoull with base 0.
func TestCUint(t *testing.T) {
	tests := []struct {
		in   string
		v    uint64
		rest string
	}{
		{"0", 0, ""},
		{"42", 42, ""},
		{" \t+42", 42, ""},
		{"-1", math.MaxUint64, ""},
		{"010", 8, ""},
		{"08", 0, "8"},
		{"0x1F", 31, ""},
		{"0x", 0, "x"},
		{"1_0", 1, "_0"},
		{"0b11", 0, "b11"},
		{"0o7", 0, "o7"},
		{"18446744073709551615", math.MaxUint64, ""},
		{"18446744073709551616", math.MaxUint64, ""},
		{"-18446744073709551615", 1, ""},
		{"-18446744073709551616", math.MaxUint64, ""},
		{"-99999999999999999999999", math.MaxUint64, ""},
		{"99999999999999999999999k", math.MaxUint64, "k"},
		{"", 0, ""},
		{"x", 0, "x"},
		{"-", 0, "-"},
	}
	for _, tc := range tests {
		if v, rest := cUint(tc.in); v != tc.v || rest != tc.rest {
			t.Errorf("cUint(%q) = %d, %q; want %d, %q", tc.in, v, rest, tc.v, tc.rest)
		}
	}
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
