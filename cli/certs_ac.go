package cli

import (
	"encoding/asn1"
	"fmt"
	"strings"
	"time"
)

var (
	oidACGroup = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 10, 4}
	oidAKI     = asn1.ObjectIdentifier{2, 5, 29, 35}
)

// acOIDNames are names swanctl 5.9.8 was seen to print for OID groups;
// other OIDs are shown dotted.
var acOIDNames = map[string]string{
	"1.3.6.1.5.5.7.10.1": "authenticationInfo", "1.3.6.1.5.5.7.10.2": "accessIdentity",
	"1.3.6.1.5.5.7.10.3": "chargingIdentity", "1.3.6.1.5.5.7.10.4": "group",
	"2.5.4.72": "role", "2.5.4.3": "CN", "2.5.4.4": "SN", "2.5.4.5": "serialNumber",
	"2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.9": "STREET", "2.5.4.10": "O",
	"2.5.4.11": "OU", "2.5.4.12": "T", "2.5.4.13": "D", "2.5.4.17": "postalCode",
	"2.5.4.41": "N", "2.5.4.42": "G", "2.5.4.43": "I", "2.5.4.45": "ID",
	"2.5.4.46": "dnQualifier", "2.5.4.65": "pseudonym", "1.2.840.113549.1.9.1": "E",
	"1.2.840.113549.1.9.2": "unstructuredName", "0.9.2342.19200300.100.1.1": "UID",
	"0.9.2342.19200300.100.1.25": "DC", "2.5.29.35": "authorityKeyIdentifier",
	"2.5.29.56": "noRevAvail", "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
}

// attrCert is what swanctl shows of an RFC 5755 attribute certificate.
type attrCert struct {
	subject, issuer string
	holderIssuer    string // "" without a baseCertificateID
	holderSerial    []byte // nil without a baseCertificateID
	serial          []byte
	notBefore       time.Time
	notAfter        time.Time
	groups          []string
	authKeyID       []byte
}

// acInfo is AttributeCertificateInfo with the parts swanctl reads left raw.
type acInfo struct {
	Version    int
	Holder     asn1.RawValue
	Issuer     asn1.RawValue
	Signature  asn1.RawValue
	Serial     asn1.RawValue
	Validity   struct{ NotBefore, NotAfter time.Time }
	Attributes []struct {
		Type   asn1.ObjectIdentifier
		Values []asn1.RawValue `asn1:"set"`
	}
	IssuerUID  asn1.BitString `asn1:"optional"`
	Extensions []struct {
		ID       asn1.ObjectIdentifier
		Critical bool `asn1:"optional"`
		Value    []byte
	} `asn1:"optional"`
}

// parseAC decodes an attribute certificate as strongSwan's x509 plugin
// does: only v2 certificates with a v2Form issuer are accepted.
func parseAC(der []byte) (*attrCert, bool) {
	var outer struct {
		Info asn1.RawValue
		Alg  asn1.RawValue
		Sig  asn1.BitString
	}
	if rest, err := asn1.Unmarshal(der, &outer); err != nil || len(rest) > 0 {
		return nil, false
	}
	var info acInfo
	if rest, err := asn1.Unmarshal(outer.Info.FullBytes, &info); err != nil || len(rest) > 0 {
		return nil, false
	}
	if info.Version != 1 || info.Serial.Tag != asn1.TagInteger || info.Serial.Class != 0 {
		return nil, false
	}
	ac := &attrCert{serial: info.Serial.Bytes, notBefore: info.Validity.NotBefore,
		notAfter: info.Validity.NotAfter}
	if !ac.holder(info.Holder) {
		return nil, false
	}
	// issuer: v2Form [0] { issuerName GeneralNames OPTIONAL, ... }
	v2 := info.Issuer
	if v2.Class != asn1.ClassContextSpecific || v2.Tag != 0 || !v2.IsCompound {
		return nil, false
	}
	var names asn1.RawValue
	if _, err := asn1.Unmarshal(v2.Bytes, &names); err == nil && names.Tag == asn1.TagSequence &&
		names.Class == asn1.ClassUniversal {
		if ac.issuer, err = firstName(names.Bytes); err != nil {
			return nil, false
		}
	}
	for _, a := range info.Attributes {
		if !a.Type.Equal(oidACGroup) {
			continue
		}
		for _, v := range a.Values {
			if !ac.ietfAttr(v.FullBytes) {
				return nil, false
			}
		}
	}
	for _, e := range info.Extensions {
		if e.ID.Equal(oidAKI) {
			var aki struct {
				ID []byte `asn1:"optional,tag:0"`
			}
			if _, err := asn1.Unmarshal(e.Value, &aki); err == nil {
				ac.authKeyID = aki.ID
			}
		}
	}
	return ac, true
}

// holder reads Holder: baseCertificateID [0] { issuer, serial } and
// entityName [1]; the subject is the entity name, else the holder serial.
func (ac *attrCert) holder(h asn1.RawValue) bool {
	for rest := h.Bytes; len(rest) > 0; {
		var f asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &f); err != nil {
			return false
		}
		if f.Class != asn1.ClassContextSpecific {
			return false
		}
		switch f.Tag {
		case 0:
			var issuer, serial asn1.RawValue
			r, err := asn1.Unmarshal(f.Bytes, &issuer)
			if err != nil {
				return false
			}
			if _, err := asn1.Unmarshal(r, &serial); err != nil ||
				serial.Tag != asn1.TagInteger {
				return false
			}
			if ac.holderIssuer, err = firstName(issuer.Bytes); err != nil {
				return false
			}
			ac.holderSerial = serial.Bytes
			if ac.holderSerial == nil {
				ac.holderSerial = []byte{}
			}
		case 1:
			if ac.subject, err = firstName(f.Bytes); err != nil {
				return false
			}
		}
	}
	if ac.subject == "" && ac.holderSerial != nil {
		ac.subject = keyIDString(ac.holderSerial)
	}
	return true
}

// keyIDString shows a key id identity: as text when printable and not
// SHA-1 sized, else as hex.
func keyIDString(b []byte) string {
	if len(b) != 20 && isPrintable(b) {
		return string(b)
	}
	return hexColons(b)
}

func isPrintable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// firstName renders the first of a GeneralNames' entries.
func firstName(names []byte) (string, error) {
	var gn asn1.RawValue
	if _, err := asn1.Unmarshal(names, &gn); err != nil {
		return "", err
	}
	s, ok := generalName(gn)
	if !ok {
		return "", fmt.Errorf("unsupported general name")
	}
	return s, nil
}

// ietfAttr reads the values of an IetfAttrSyntax; UTF-8 strings that are
// not printable ASCII are skipped, as swanctl does.
func (ac *attrCert) ietfAttr(der []byte) bool {
	var seq asn1.RawValue
	if _, err := asn1.Unmarshal(der, &seq); err != nil || seq.Tag != asn1.TagSequence {
		return false
	}
	rest := seq.Bytes
	var values asn1.RawValue
	for len(rest) > 0 {
		var err error
		if rest, err = asn1.Unmarshal(rest, &values); err != nil {
			return false
		}
		if values.Class == asn1.ClassUniversal && values.Tag == asn1.TagSequence {
			break
		}
	}
	for rest = values.Bytes; len(rest) > 0; {
		var v asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &v); err != nil {
			return false
		}
		if v.Class != asn1.ClassUniversal {
			continue
		}
		switch v.Tag {
		case asn1.TagOctetString:
			ac.groups = append(ac.groups, hexColons(v.Bytes))
		case asn1.TagOID:
			var oid asn1.ObjectIdentifier
			if _, err := asn1.Unmarshal(v.FullBytes, &oid); err != nil {
				return false
			}
			// TODO: swanctl names every OID strongSwan knows, not only these.
			name, ok := acOIDNames[oid.String()]
			if !ok {
				name = oid.String()
			}
			ac.groups = append(ac.groups, name)
		case asn1.TagUTF8String:
			if isPrintable(v.Bytes) {
				ac.groups = append(ac.groups, string(v.Bytes))
			}
		}
	}
	return true
}

// ac renders an attribute certificate; --short changes nothing here.
func (l *certLister) ac(der []byte) bool {
	ac, ok := parseAC(der)
	if !ok {
		return false
	}
	w := l.out
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  subject:  \"%s\"\n", ac.subject)
	fmt.Fprintf(w, "  issuer:   \"%s\"\n", ac.issuer)
	l.validity(ac.notBefore, ac.notAfter)
	fmt.Fprintf(w, "  serial:    %s\n", serialHex(ac.serial))
	if ac.holderIssuer != "" {
		fmt.Fprintf(w, "  hissuer:  \"%s\"\n", ac.holderIssuer)
	}
	if ac.holderSerial != nil {
		fmt.Fprintf(w, "  hserial:   %s\n", serialHex(ac.holderSerial))
	}
	for i, g := range ac.groups {
		label := "  groups:    "
		if i > 0 {
			label = strings.Repeat(" ", 13)
		}
		fmt.Fprintf(w, "%s%s\n", label, g)
	}
	if ac.authKeyID != nil {
		fmt.Fprintf(w, "  authkey:  %s\n", hexColons(ac.authKeyID))
	}
	return true
}
