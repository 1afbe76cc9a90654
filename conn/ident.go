package conn

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"net/netip"
	"strings"
)

// dnAttrs maps attribute names accepted in a textual DN to the short name
// strongSwan prints; lookups are case-sensitive like strongSwan's.
var dnAttrs = map[string]string{
	"CN": "CN", "commonName": "CN", "S": "S", "SN": "SN", "surname": "SN",
	"serialNumber": "serialNumber", "C": "C", "L": "L", "ST": "ST", "O": "O",
	"OU": "OU", "T": "T", "D": "D", "N": "N", "G": "G", "I": "I",
	"dnQualifier": "dnQualifier", "ID": "ID", "EN": "EN", "employeeNumber": "EN",
	"E": "E", "Email": "E", "emailAddress": "E", "UN": "UN",
	"unstructuredName": "UN", "UA": "UA", "unstructuredAddress": "UA",
	"TCGID": "TCGID", "DC": "DC", "UID": "UID", "pseudonym": "pseudonym",
	"postalAddress": "postalAddress", "postalCode": "postalCode",
	"street": "street", "title": "T", "givenName": "G", "initials": "I",
}

// oidNames names the attribute types printed for certificate subjects.
var oidNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.4": "SN", "2.5.4.5": "serialNumber", "2.5.4.6": "C",
	"2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.9": "street", "2.5.4.10": "O",
	"2.5.4.11": "OU", "2.5.4.12": "T", "2.5.4.13": "D", "2.5.4.16": "postalAddress",
	"2.5.4.17": "postalCode", "2.5.4.41": "N", "2.5.4.42": "G", "2.5.4.43": "I",
	"2.5.4.45": "ID", "2.5.4.46": "dnQualifier", "2.5.4.65": "pseudonym",
	"1.2.840.113549.1.9.1": "E", "1.2.840.113549.1.9.2": "UN",
	"1.2.840.113549.1.9.8": "UA", "0.9.2342.19200300.100.1.25": "DC",
	"0.9.2342.19200300.100.1.1": "UID", "2.16.840.1.113730.3.1.3": "EN",
}

// idPrefixes are the explicit identity type prefixes; the value follows.
var idPrefixes = []string{
	"email:", "rfc822:", "userfqdn:", "fqdn:", "dns:", "ipv4:", "ipv6:", "asn1dn:",
}

// NormalizeID returns an identity as strongSwan prints it after parsing: type
// prefixes and @ markers dropped, addresses canonical, DNs re-joined with
// ", ", @#hex key ids in colon-separated hex.
//
// TODO: ipv4net/ipv6net/range types, keyid: and the binary #hex forms.
func NormalizeID(s string) string {
	for _, p := range idPrefixes {
		if len(s) > len(p) && strings.EqualFold(s[:len(p)], p) {
			v := s[len(p):]
			if p == "asn1dn:" {
				if dn, ok := normalizeDN(v); ok {
					return dn
				}
			}
			return normalizeAddr(v)
		}
	}
	switch {
	case strings.HasPrefix(s, "@#"):
		if b, err := hex.DecodeString(s[2:]); err == nil {
			return colonHex(b)
		}
		return s[2:]
	case strings.HasPrefix(s, "@@"):
		return s[2:]
	case strings.HasPrefix(s, "@"):
		return s[1:]
	case strings.Contains(s, "="):
		if dn, ok := normalizeDN(s); ok {
			return dn
		}
		return s
	}
	return normalizeAddr(s)
}

func normalizeAddr(s string) string {
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return a.String()
	}
	return s
}

// normalizeDN parses "C=CH, O=x" or "/C=CH/O=x"; ok is false when an
// attribute name is unknown, in which case strongSwan keeps the text.
func normalizeDN(s string) (string, bool) {
	sep := ","
	if strings.HasPrefix(s, "/") {
		sep, s = "/", s[1:]
	}
	var out []string
	for _, rdn := range strings.Split(s, sep) {
		k, v, ok := strings.Cut(rdn, "=")
		if !ok {
			return "", false
		}
		name, known := dnAttrs[strings.TrimSpace(k)]
		if !known {
			return "", false
		}
		out = append(out, name+"="+strings.TrimSpace(v))
	}
	return strings.Join(out, ", "), true
}

// FormatDN prints a certificate name the way strongSwan does: attributes in
// encoding order, short names, joined by ", ", values unescaped.
func FormatDN(rdns pkix.RDNSequence) string {
	var parts []string
	for _, set := range rdns {
		for _, atv := range set {
			name, ok := oidNames[atv.Type.String()]
			if !ok {
				name = atv.Type.String()
			}
			var v string
			switch x := atv.Value.(type) {
			case string:
				v = x
			case []byte:
				v = string(x)
			default:
				if b, err := asn1.Marshal(x); err == nil {
					v = "#" + hex.EncodeToString(b)
				}
			}
			parts = append(parts, name+"="+v)
		}
	}
	return strings.Join(parts, ", ")
}

func colonHex(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteString(hex.EncodeToString([]byte{c}))
	}
	return sb.String()
}
