package conn

import (
	"strings"

	"github.com/charond/charond/cnum"
)

// parseUint accepts a whole C number; an empty value is 0.
//
// TODO: charon first cuts a number to 15 bytes (vici_stringify into a
// char buf[16]), so it reads 000000000000000012 as 0; this reads 12.
func parseUint(s string) (uint64, bool) {
	v, rest := cnum.Strtoull(s)
	return v, rest == ""
}

// parseUint32 is parseUint truncated to 32 bits, as the daemon stores it.
func parseUint32(s string) (uint32, bool) {
	v, ok := parseUint(s)
	return uint32(v), ok
}

// parseBool accepts strongSwan's boolean words, case-insensitively.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "yes", "true", "enabled", "1":
		return true, true
	case "no", "false", "disabled", "0":
		return false, true
	}
	return false, false
}

// parseTime reads a number of seconds with an optional s/m/h/d suffix.
func parseTime(s string) (uint64, bool) {
	v, rest := cnum.Strtoull(s)
	rest = strings.TrimLeft(rest, " ")
	mul := uint64(1)
	if rest != "" {
		switch rest[0] {
		case 'd', 'D':
			mul = 86400
		case 'h', 'H':
			mul = 3600
		case 'm', 'M':
			mul = 60
		case 's', 'S':
		default:
			return 0, false
		}
		rest = rest[1:]
	}
	return v * mul, rest == ""
}

// parseBytes reads a number with an optional k/m/g (powers of 1024) suffix.
func parseBytes(s string) (uint64, bool) {
	v, rest := cnum.Strtoull(s)
	rest = strings.TrimLeft(rest, " ")
	if rest != "" {
		switch rest[0] {
		case 'g', 'G':
			v <<= 30
		case 'm', 'M':
			v <<= 20
		case 'k', 'K':
			v <<= 10
		default:
			return 0, false
		}
		rest = rest[1:]
	}
	return v, rest == ""
}

// parseEnum looks s up case-insensitively among names and returns its index.
func parseEnum(s string, names ...string) (int, bool) {
	for i, n := range names {
		if strings.EqualFold(s, n) {
			return i, true
		}
	}
	return 0, false
}

// parseDSCP reads six (or more) binary digits, keeping the low six bits.
func parseDSCP(s string) (uint8, bool) {
	if s == "" {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		if s[i] != '0' && s[i] != '1' {
			return 0, false
		}
		v = v<<1 | uint64(s[i]-'0')
	}
	return uint8(v & 0x3f), true
}

// IfID is an XFRM interface ID setting: a number or a per-SA unique value.
type IfID struct {
	Value     uint32
	Unique    bool // %unique
	UniqueDir bool // %unique-dir
}

func parseIfID(s string) (IfID, bool) {
	switch s {
	case "%unique":
		return IfID{Unique: true}, true
	case "%unique-dir":
		return IfID{Unique: true, UniqueDir: true}, true
	}
	v, ok := parseUint32(s)
	return IfID{Value: v}, ok
}

// Mark is an XFRM mark setting with its mask.
type Mark struct {
	Value, Mask uint32
	Unique      bool // %unique
	UniqueDir   bool // %unique-dir
	Same        bool // %same (set_mark_* only)
}

// parseMark reads value[/mask]; without a mask all bits count. Marks set on
// packets (set) take %same but no unique values, matched marks the reverse.
func parseMark(s string, set bool) (Mark, bool) {
	val, mask, hasMask := strings.Cut(s, "/")
	m := Mark{Mask: 0xffffffff}
	switch val {
	case "%unique", "%unique-dir":
		if set {
			return Mark{}, false
		}
		m.Unique, m.UniqueDir = true, val == "%unique-dir"
	case "%same":
		if !set {
			return Mark{}, false
		}
		m.Same = true
	default:
		v, ok := parseUint32(val)
		if !ok {
			return Mark{}, false
		}
		m.Value = v
	}
	if hasMask {
		v, ok := parseUint32(mask)
		if !ok {
			return Mark{}, false
		}
		m.Mask = v
	}
	return m, true
}
