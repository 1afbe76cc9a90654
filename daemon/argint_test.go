package daemon

import (
	"math"
	"strings"
	"testing"

	"github.com/charond/charond/vici"
)

func TestCLong(t *testing.T) {
	tests := []struct {
		in       string
		n        int64
		rest     string
		overflow bool
	}{
		{"0", 0, "", false},
		{"42", 42, "", false},
		{" \t\v\f\r\n+42", 42, "", false},
		{"-42", -42, "", false},
		{"010", 8, "", false},
		{"09", 0, "9", false},
		{"0x1F", 31, "", false},
		{"0X1f", 31, "", false},
		{"-0x10", -16, "", false},
		{"0x", 0, "x", false},
		{"0xg", 0, "xg", false},
		{"1_0", 1, "_0", false},
		{"0b11", 0, "b11", false},
		{"0o7", 0, "o7", false},
		{"5 ", 5, " ", false},
		{"9223372036854775807", math.MaxInt64, "", false},
		{"9223372036854775808", math.MaxInt64, "", true},
		{"99999999999999999999x", math.MaxInt64, "x", true},
		{"-9223372036854775808", math.MinInt64, "", false},
		{"-9223372036854775809", math.MinInt64, "", true},
		{"0x8000000000000000", math.MaxInt64, "", true},
		{"", 0, "", false},
		{"-", 0, "-", false},
		{" x", 0, " x", false},
	}
	for _, tc := range tests {
		n, rest, overflow := cLong(tc.in)
		if n != tc.n || rest != tc.rest || overflow != tc.overflow {
			t.Errorf("cLong(%q) = %d, %q, %v; want %d, %q, %v", tc.in, n, rest, overflow,
				tc.n, tc.rest, tc.overflow)
		}
	}
}

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
