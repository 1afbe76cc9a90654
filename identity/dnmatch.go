package identity

import "strings"

// oidEmail is the DER body of the emailAddress attribute's OID.
const oidEmail = "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01"

// attr is one attribute of a distinguished name.
type attr struct {
	oid   string
	tag   byte
	value string
}

// attrs lists a DER Name's attributes in order, those of multi-valued
// RDNs one after the other.
func attrs(der string) ([]attr, bool) {
	tag, seq, rest, ok := readTLV(der)
	if !ok || tag != tagSequence || rest != "" {
		return nil, false
	}
	var out []attr
	for seq != "" {
		var set string
		if tag, set, seq, ok = readTLV(seq); !ok || tag != tagSet {
			return nil, false
		}
		for set != "" {
			var atv, oid, value string
			if tag, atv, set, ok = readTLV(set); !ok || tag != tagSequence {
				return nil, false
			}
			if tag, oid, atv, ok = readTLV(atv); !ok || tag != tagOID {
				return nil, false
			}
			var vtag byte
			if vtag, value, atv, ok = readTLV(atv); !ok || atv != "" {
				return nil, false
			}
			out = append(out, attr{oid: oid, tag: vtag, value: value})
		}
	}
	return out, true
}

// MatchDN matches the DER Name dn against pattern, one in which an
// attribute's value may be "*", as strongSwan does by default: the same
// attributes in the same order, each value equal (printable strings and
// e-mail addresses without regard to case) or a wildcard. It returns the
// number of wildcards used.
func MatchDN(dn, pattern string) (wildcards int, ok bool) {
	if dn == pattern {
		return 0, true
	}
	a, okA := attrs(dn)
	b, okB := attrs(pattern)
	if !okA || !okB || len(a) != len(b) {
		return 0, false
	}
	for i := range a {
		switch {
		case a[i].oid != b[i].oid:
			return 0, false
		case b[i].value == "*":
			wildcards++
		case len(a[i].value) != len(b[i].value):
			return 0, false
		case a[i].tag == b[i].tag && (a[i].tag == tagPrintable ||
			a[i].tag == tagIA5 && a[i].oid == oidEmail):
			if !strings.EqualFold(a[i].value, b[i].value) {
				return 0, false
			}
		case a[i].value != b[i].value:
			return 0, false
		}
	}
	return wildcards, true
}
