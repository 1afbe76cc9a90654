package identity

import (
	"encoding/asn1"
	"errors"
	"strings"
)

// errDN is returned for a string that is no distinguished name.
var errDN = errors.New("identity: invalid distinguished name")

// ASN.1 universal tags used in names.
const (
	tagUTF8      = 12
	tagPrintable = 19
	tagIA5       = 22
	tagOID       = 6
	tagSequence  = 0x30
	tagSet       = 0x31
)

// rdnType is one attribute type a DN string may name.
type rdnType struct {
	names []string // accepted names; the first is the one printed
	oid   asn1.ObjectIdentifier
	tag   byte // string type used when encoding
}

var rdnTypes = []rdnType{
	{[]string{"CN"}, asn1.ObjectIdentifier{2, 5, 4, 3}, tagPrintable},
	{[]string{"S", "SN"}, asn1.ObjectIdentifier{2, 5, 4, 4}, tagPrintable},
	{[]string{"serialNumber"}, asn1.ObjectIdentifier{2, 5, 4, 5}, tagPrintable},
	{[]string{"C"}, asn1.ObjectIdentifier{2, 5, 4, 6}, tagPrintable},
	{[]string{"L"}, asn1.ObjectIdentifier{2, 5, 4, 7}, tagPrintable},
	{[]string{"ST"}, asn1.ObjectIdentifier{2, 5, 4, 8}, tagPrintable},
	{[]string{"O"}, asn1.ObjectIdentifier{2, 5, 4, 10}, tagPrintable},
	{[]string{"OU"}, asn1.ObjectIdentifier{2, 5, 4, 11}, tagPrintable},
	{[]string{"T"}, asn1.ObjectIdentifier{2, 5, 4, 12}, tagPrintable},
	{[]string{"D"}, asn1.ObjectIdentifier{2, 5, 4, 13}, tagPrintable},
	{[]string{"N"}, asn1.ObjectIdentifier{2, 5, 4, 41}, tagPrintable},
	{[]string{"G"}, asn1.ObjectIdentifier{2, 5, 4, 42}, tagPrintable},
	{[]string{"I"}, asn1.ObjectIdentifier{2, 5, 4, 43}, tagPrintable},
	{[]string{"ID"}, asn1.ObjectIdentifier{2, 5, 4, 45}, tagPrintable},
	{[]string{"dnQualifier"}, asn1.ObjectIdentifier{2, 5, 4, 46}, tagPrintable},
	{[]string{"pseudonym"}, asn1.ObjectIdentifier{2, 5, 4, 65}, tagPrintable},
	{[]string{"E", "Email", "emailAddress"},
		asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}, tagIA5},
	{[]string{"UN", "unstructuredName"},
		asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 2}, tagIA5},
	{[]string{"UID"}, asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}, tagPrintable},
	{[]string{"DC"}, asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 25}, tagIA5},
}

func lookupRDN(name string) *rdnType {
	for i := range rdnTypes {
		for _, n := range rdnTypes[i].names {
			if strings.EqualFold(n, name) {
				return &rdnTypes[i]
			}
		}
	}
	return nil
}

// encodeDN converts `C=CH, O=Org, CN=carol` (or the OpenSSL form
// `/C=CH/O=Org/CN=carol`) into the DER encoding of an X.501 Name with one
// attribute per RDN. A backslash escapes the next character.
func encodeDN(s string) ([]byte, error) {
	sep := byte(',')
	if strings.HasPrefix(s, "/") {
		sep = '/'
		s = s[1:]
	}
	var rdns []byte
	for len(strings.TrimSpace(s)) > 0 {
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return nil, errDN
		}
		t := lookupRDN(strings.TrimSpace(s[:eq]))
		if t == nil {
			return nil, errDN
		}
		s = strings.TrimLeft(s[eq+1:], " ")
		var val []byte
		for len(s) > 0 && s[0] != sep {
			if s[0] == '\\' && len(s) > 1 {
				s = s[1:]
			}
			val = append(val, s[0])
			s = s[1:]
		}
		if len(s) > 0 {
			s = s[1:]
		}
		v := strings.TrimRight(string(val), " ")
		tag := t.tag
		if tag == tagPrintable && !isPrintableString(v) {
			tag = tagUTF8
		}
		oid, err := asn1.Marshal(t.oid)
		if err != nil {
			return nil, err
		}
		atv := tlv(tagSequence, append(oid, tlv(tag, []byte(v))...))
		rdns = append(rdns, tlv(tagSet, atv)...)
	}
	if len(rdns) == 0 {
		return nil, errDN
	}
	return tlv(tagSequence, rdns), nil
}

// isPrintableString reports whether ASN.1 PrintableString can hold s.
func isPrintableString(s string) bool {
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte(" '()+,-./:=?", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func tlv(tag byte, body []byte) []byte {
	out := []byte{tag}
	switch n := len(body); {
	case n < 0x80:
		out = append(out, byte(n))
	case n < 0x100:
		out = append(out, 0x81, byte(n))
	case n < 0x10000:
		out = append(out, 0x82, byte(n>>8), byte(n))
	default:
		out = append(out, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
	return append(out, body...)
}

// readTLV splits the first DER element off b.
func readTLV(b string) (tag byte, body, rest string, ok bool) {
	if len(b) < 2 {
		return 0, "", "", false
	}
	tag, n, b := b[0], int(b[1]), b[2:]
	if n >= 0x80 {
		k := n & 0x7f
		if k == 0 || k > 3 || len(b) < k {
			return 0, "", "", false
		}
		n = 0
		for i := 0; i < k; i++ {
			n = n<<8 | int(b[i])
		}
		b = b[k:]
	}
	if n > len(b) {
		return 0, "", "", false
	}
	return tag, b[:n], b[n:], true
}

// dnString prints a DER Name as strongSwan does: `name=value` pairs joined
// by ", ", known attribute types by their short name, others as a dotted
// OID.
func dnString(der string) (string, bool) {
	tag, seq, rest, ok := readTLV(der)
	if !ok || tag != tagSequence || rest != "" {
		return "", false
	}
	var sb strings.Builder
	for seq != "" {
		var set string
		if tag, set, seq, ok = readTLV(seq); !ok || tag != tagSet {
			return "", false
		}
		for set != "" {
			var atv, oidb, val string
			if tag, atv, set, ok = readTLV(set); !ok || tag != tagSequence {
				return "", false
			}
			if tag, oidb, atv, ok = readTLV(atv); !ok || tag != tagOID {
				return "", false
			}
			if _, val, _, ok = readTLV(atv); !ok {
				return "", false
			}
			var oid asn1.ObjectIdentifier
			if _, err := asn1.Unmarshal(append([]byte{tagOID, byte(len(oidb))}, oidb...),
				&oid); err != nil || len(oidb) >= 0x80 {
				return "", false
			}
			if sb.Len() > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(oidName(oid))
			sb.WriteByte('=')
			// TODO: strongSwan prints non-ASCII UTF-8 values as they are;
			// here they are shown with '?' like other unprintable bytes.
			sb.WriteString(printable(val))
		}
	}
	return sb.String(), true
}

func oidName(oid asn1.ObjectIdentifier) string {
	for i := range rdnTypes {
		if rdnTypes[i].oid.Equal(oid) {
			return rdnTypes[i].names[0]
		}
	}
	return oid.String()
}
