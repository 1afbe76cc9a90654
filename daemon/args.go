package daemon

import (
	"strings"

	"github.com/charond/charond/cnum"
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
	n, rest, overflow := cnum.Strtol(v)
	if rest != "" || overflow {
		return def
	}
	return int64(int32(n))
}
