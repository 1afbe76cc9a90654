package cnum

import (
	"math"
	"testing"
)

// Strtoull follows glibc's strtoull with base 0.
func TestStrtoull(t *testing.T) {
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
		if v, rest := Strtoull(tc.in); v != tc.v || rest != tc.rest {
			t.Errorf("Strtoull(%q) = %d, %q; want %d, %q", tc.in, v, rest, tc.v, tc.rest)
		}
	}
}

func TestStrtol(t *testing.T) {
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
		n, rest, overflow := Strtol(tc.in)
		if n != tc.n || rest != tc.rest || overflow != tc.overflow {
			t.Errorf("Strtol(%q) = %d, %q, %v; want %d, %q, %v", tc.in, n, rest, overflow,
				tc.n, tc.rest, tc.overflow)
		}
	}
}
