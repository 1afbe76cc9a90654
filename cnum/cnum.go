package cnum

import (
	"math"
	"strings"
)

// prefix strips blanks and a sign and picks the base from the prefix.
func prefix(s string) (t string, neg bool, base uint64) {
	t = strings.TrimLeft(s, " \t\n\v\f\r")
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	switch {
	case len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && Digit(t[2]) < 16:
		return t[2:], neg, 16
	case t != "" && t[0] == '0':
		return t, neg, 8
	}
	return t, neg, 10
}

// digits accumulates the digits of t in base up to limit, reporting how
// many it read and whether the value passed limit.
func digits(t string, base, limit uint64) (v uint64, n int, overflow bool) {
	for ; n < len(t) && Digit(t[n]) < base; n++ {
		d := Digit(t[n])
		if overflow || v > (limit-d)/base {
			overflow = true
			continue
		}
		v = v*base + d
	}
	return v, n, overflow
}

// Strtoull parses as C's strtoull: the value, saturated at MaxUint64 on
// overflow whatever the sign, a negative number wrapped as in C, and the
// unparsed rest (s itself when there are no digits).
func Strtoull(s string) (v uint64, rest string) {
	t, neg, base := prefix(s)
	v, n, overflow := digits(t, base, math.MaxUint64)
	switch {
	case n == 0:
		return 0, s
	case overflow:
		return math.MaxUint64, t[n:]
	case neg:
		v = -v
	}
	return v, t[n:]
}

// Strtol parses as C's strtol on a 64-bit machine: the value, saturated
// at LONG_MAX or LONG_MIN on overflow, the unparsed rest (s itself when
// there are no digits), and whether it overflowed (C's ERANGE).
func Strtol(s string) (n int64, rest string, overflow bool) {
	t, neg, base := prefix(s)
	limit := uint64(math.MaxInt64)
	if neg {
		limit++ // -LONG_MIN
	}
	v, i, overflow := digits(t, base, limit)
	switch {
	case i == 0:
		return 0, s, false
	case overflow && neg:
		return math.MinInt64, t[i:], true
	case overflow:
		return math.MaxInt64, t[i:], true
	case neg:
		return int64(-v), t[i:], false // -v wraps to LONG_MIN for -limit
	}
	return int64(v), t[i:], false
}

// Digit returns the value of a hexadecimal digit, or 255 for anything else.
func Digit(c byte) uint64 {
	switch {
	case c >= '0' && c <= '9':
		return uint64(c - '0')
	case c >= 'a' && c <= 'f':
		return uint64(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return uint64(c-'A') + 10
	}
	return 255
}
