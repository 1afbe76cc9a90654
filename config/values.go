package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrValue is wrapped by the errors of the typed value parsers.
var ErrValue = errors.New("config: invalid value")

// ParseBool reads strongswan.conf booleans: yes, true, enabled, 1 and no,
// false, disabled, 0, in any case.
func ParseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "1", "yes", "true", "enabled":
		return true, nil
	case "0", "no", "false", "disabled":
		return false, nil
	}
	return false, fmt.Errorf("%w: bool %q", ErrValue, v)
}

// ParseInt reads a decimal integer, or a hexadecimal one with a 0x prefix.
func ParseInt(v string) (int64, error) {
	s, base := v, 10
	if neg := strings.HasPrefix(s, "-"); neg || strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		s, base = s[2:], 16
	}
	if s == "" || strings.ContainsAny(s, "+-_") {
		return 0, fmt.Errorf("%w: integer %q", ErrValue, v)
	}
	n, err := strconv.ParseInt(s, base, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: integer %q", ErrValue, v)
	}
	if strings.HasPrefix(v, "-") {
		n = -n
	}
	return n, nil
}

// ParseDuration reads a time: an unsigned decimal number of seconds, or of
// minutes, hours or days with an m, h or d suffix (s is seconds); blanks
// may separate number and suffix.
func ParseDuration(v string) (time.Duration, error) {
	i := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	n, err := strconv.ParseUint(v[:i], 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%w: time %q", ErrValue, v)
	}
	unit := time.Second
	switch strings.TrimLeft(v[i:], " \t") {
	case "", "s":
	case "m":
		unit = time.Minute
	case "h":
		unit = time.Hour
	case "d":
		unit = 24 * time.Hour
	default:
		return 0, fmt.Errorf("%w: time %q", ErrValue, v)
	}
	return time.Duration(n) * unit, nil
}

// String returns the value at the dotted path, or def if it is absent.
func (s Section) String(path, def string) string {
	if v, ok := s.Get(path); ok {
		return v
	}
	return def
}

// Bool returns the boolean at path, or def if it is absent or invalid.
func (s Section) Bool(path string, def bool) bool {
	if v, ok := s.Get(path); ok {
		if b, err := ParseBool(v); err == nil {
			return b
		}
	}
	return def
}

// Int returns the integer at path, or def if it is absent or invalid.
func (s Section) Int(path string, def int64) int64 {
	if v, ok := s.Get(path); ok {
		if n, err := ParseInt(v); err == nil {
			return n
		}
	}
	return def
}

// Duration returns the time at path, or def if it is absent or invalid.
func (s Section) Duration(path string, def time.Duration) time.Duration {
	if v, ok := s.Get(path); ok {
		if d, err := ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}
