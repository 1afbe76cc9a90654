package cli

import (
	"crypto/x509"
	"encoding/asn1"
	"strings"
)

// rdnNames are the short names strongSwan prints for attribute types of a
// distinguished name.
var rdnNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.4": "SN", "2.5.4.5": "serialNumber", "2.5.4.6": "C",
	"2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.9": "street", "2.5.4.10": "O",
	"2.5.4.11": "OU", "2.5.4.12": "T", "2.5.4.13": "D", "2.5.4.41": "N",
	"2.5.4.42": "G", "2.5.4.43": "I", "2.5.4.44": "GQ", "2.5.4.46": "dnQualifier",
	"2.5.4.65": "pseudonym", "2.5.4.72": "role", "2.5.4.45": "ID",
	"1.2.840.113549.1.9.1": "E", "1.2.840.113549.1.9.2": "unstructuredName",
	"0.9.2342.19200300.100.1.1": "UID", "0.9.2342.19200300.100.1.25": "DC",
	"2.5.4.17": "postalCode", "2.5.4.15": "businessCategory",
}

// formatDN renders a DER-encoded name as strongSwan prints it: the RDNs in
// encoded order, "type=value" joined by ", ".
func formatDN(der []byte) string {
	var seq asn1.RawValue
	if _, err := asn1.Unmarshal(der, &seq); err != nil || len(der) == 0 {
		return "(invalid ID_DER_ASN1_DN)"
	}
	var parts []string
	rest := seq.Bytes
	for len(rest) > 0 {
		var set asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &set); err != nil {
			break
		}
		inner := set.Bytes
		for len(inner) > 0 {
			var atv struct {
				Type  asn1.ObjectIdentifier
				Value asn1.RawValue
			}
			if inner, err = asn1.Unmarshal(inner, &atv); err != nil {
				break
			}
			name, ok := rdnNames[atv.Type.String()]
			if !ok {
				name = oidHex(atv.Type)
			}
			parts = append(parts, name+"="+printable(atv.Value.Bytes))
		}
	}
	return strings.Join(parts, ", ")
}

// printable shows a value as swanctl does: every byte that is not
// printable ASCII, UTF-8 included, becomes '?'.
func printable(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			c = '?'
		}
		out[i] = c
	}
	return string(out)
}

// oidHex shows an attribute type without a name as the hex bytes of its
// encoded OID, as swanctl does ("2a:03:04" for 1.2.3.4).
func oidHex(oid asn1.ObjectIdentifier) string {
	der, err := asn1.Marshal(oid)
	if err != nil || len(der) < 2 {
		return oid.String()
	}
	return hexColons(der[2:])
}

// certSubject returns the subject of a DER certificate in strongSwan's form.
func certSubject(der []byte) string {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return ""
	}
	return formatDN(c.RawSubject)
}
