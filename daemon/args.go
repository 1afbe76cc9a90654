package daemon

import (
	"math"
	"strings"

	"github.com/charond/charond/vici"
)

// loadFailed logs a refused load-* request, one line with the errmsg and
// attrs naming what failed, and returns the failure reply.
func (d *Daemon) loadFailed(what, errmsg string, attrs ...any) *vici.Message {
	d.log.Info("loading vici "+what+" failed",
		append([]any{"subsys", "cfg", "errmsg", errmsg}, attrs...)...)
	return vici.Failure(errmsg)
}

// printable reports whether every byte of s is printable ASCII, the test
// strongSwan applies before it reads a value as text.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// argString returns the key/value key of m as text. Like strongSwan, it
// treats a value that is not entirely printable as absent.
func argString(m *vici.Message, key string) (string, bool) {
	v, ok := m.Get(key)
	if !ok || !printable(v) {
		return "", false
	}
	return v, true
}

// argBool reads the key/value key of m as a boolean: yes, true, enabled
// and 1 are true, no, false, disabled and 0 false, case-insensitively;
// anything else, an empty value or no key gives def.
func argBool(m *vici.Message, key string, def bool) bool {
	v, ok := argString(m, key)
	if !ok {
		return def
	}
	switch strings.ToLower(v) {
	case "yes", "true", "enabled", "1":
		return true
	case "no", "false", "disabled", "0":
		return false
	}
	return def
}

// argInt reads an integer the way charon's get_int does: C's strtol with
// base 0 on the value cut to 31 bytes, the whole of it a number, else def;
// the result is a C int. An empty, missing, partly numeric or overflowing
// value (strtol saturates, but charon checks errno) gives def.
func argInt(m *vici.Message, key string, def int64) int64 {
	v, ok := argString(m, key)
	if !ok || v == "" {
		return def
	}
	if len(v) > 31 {
		v = v[:31] // snprintf into char buf[32]
	}
	n, rest, overflow := cLong(v)
	if rest != "" || overflow {
		return def
	}
	return int64(int32(n))
}

// cLong parses a number as C's strtol with base 0 does: leading blanks,
// an optional sign, 0x or 0X for hex, a leading 0 for octal, else decimal;
// no underscores, no 0b or 0o. It returns the value, saturated at
// LONG_MAX/LONG_MIN on overflow, and the unparsed rest (s itself without
// digits).
func cLong(s string) (n int64, rest string, overflow bool) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	base := uint64(10)
	switch {
	case len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && digit(t[2]) < 16:
		base, t = 16, t[2:]
	case t != "" && t[0] == '0':
		base = 8
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++ // -LONG_MIN
	}
	var v uint64
	i := 0
	for ; i < len(t) && digit(t[i]) < base; i++ {
		d := digit(t[i])
		if overflow || v > (limit-d)/base {
			overflow = true
			continue
		}
		v = v*base + d
	}
	if i == 0 {
		return 0, s, false
	}
	switch {
	case overflow && neg:
		return math.MinInt64, t[i:], true
	case overflow:
		return math.MaxInt64, t[i:], true
	case neg:
		return int64(-v), t[i:], false // -v wraps to LONG_MIN for -limit
	}
	return int64(v), t[i:], false
}

// digit is c's value as a digit in bases up to 36, or 36 for a non-digit.
func digit(c byte) uint64 {
	switch {
	case c >= '0' && c <= '9':
		return uint64(c - '0')
	case c >= 'a' && c <= 'z':
		return uint64(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return uint64(c-'A') + 10
	}
	return 36
}
