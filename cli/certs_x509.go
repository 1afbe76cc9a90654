package cli

import (
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"math/big"
	"net"
	"strings"
)

var (
	oidSAN        = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidDeltaCRL   = asn1.ObjectIdentifier{2, 5, 29, 27}
	oidIKEInterm  = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 8, 2, 2}
	oidMSSmartcrd = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 20, 2, 2}
)

// x509 renders an X.509 certificate; --short leaves out the flags, the
// CRL and OCSP URIs and the path length.
func (l *certLister) x509(der []byte, privkey bool) bool {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return false
	}
	k, ok := parseKey(c.RawSubjectPublicKeyInfo)
	if !ok {
		return false
	}
	w := l.out
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  subject:  \"%s\"\n", formatDN(c.RawSubject))
	fmt.Fprintf(w, "  issuer:   \"%s\"\n", formatDN(c.RawIssuer))
	l.validity(c.NotBefore, c.NotAfter)
	fmt.Fprintf(w, "  serial:    %s\n", serialHex(serialBytes(c.SerialNumber)))
	if names := altNames(c); len(names) > 0 {
		fmt.Fprintf(w, "  altNames:  %s\n", strings.Join(names, ", "))
	}
	if !l.short {
		fmt.Fprintf(w, "  flags:     %s\n", x509Flags(c))
		uriLines(w, "  CRL URIs:  ", c.CRLDistributionPoints)
		uriLines(w, "  OCSP URIs: ", c.OCSPServer)
		if c.BasicConstraintsValid && (c.MaxPathLen > 0 || c.MaxPathLenZero) {
			fmt.Fprintf(w, "  pathlen:   %d\n", c.MaxPathLen)
		}
	}
	if len(c.AuthorityKeyId) > 0 {
		fmt.Fprintf(w, "  authkeyId: %s\n", hexColons(c.AuthorityKeyId))
	}
	ski := c.SubjectKeyId
	if len(ski) == 0 {
		ski = k.subjkey
	}
	fmt.Fprintf(w, "  subjkeyId: %s\n", hexColons(ski))
	l.key(k, privkey)
	return true
}

// uriLines prints URIs under a label; the further ones are indented by
// eleven spaces, two fewer than the label, as swanctl 5.9.8 does.
func uriLines(w interface{ Write([]byte) (int, error) }, label string, uris []string) {
	for i, u := range uris {
		if i > 0 {
			label = strings.Repeat(" ", 11)
		}
		fmt.Fprintf(w, "%s%s\n", label, u)
	}
}

// x509Flags lists the flags in swanctl's order; every flag but
// msSmartcardLogon is followed by a space.
func x509Flags(c *x509.Certificate) string {
	var b strings.Builder
	add := func(on bool, s string) {
		if on {
			b.WriteString(s)
		}
	}
	eku := func(u x509.ExtKeyUsage) bool {
		for _, e := range c.ExtKeyUsage {
			if e == u {
				return true
			}
		}
		return false
	}
	unknown := func(oid asn1.ObjectIdentifier) bool {
		for _, e := range c.UnknownExtKeyUsage {
			if e.Equal(oid) {
				return true
			}
		}
		return false
	}
	add(c.BasicConstraintsValid && c.IsCA, "CA ")
	add(c.KeyUsage&x509.KeyUsageCRLSign != 0, "CRLSign ")
	add(eku(x509.ExtKeyUsageOCSPSigning), "ocspSigning ")
	add(eku(x509.ExtKeyUsageServerAuth), "serverAuth ")
	add(eku(x509.ExtKeyUsageClientAuth), "clientAuth ")
	add(unknown(oidIKEInterm), "ikeIntermediate ")
	add(unknown(oidMSSmartcrd), "msSmartcardLogon")
	add(selfSigned(c), "self-signed ")
	return b.String()
}

// selfSigned: issuer and subject agree and the certificate's own key
// verifies its signature.
func selfSigned(c *x509.Certificate) bool {
	if string(c.RawIssuer) != string(c.RawSubject) {
		return false
	}
	return c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// serialBytes is the two's complement content of a DER INTEGER.
func serialBytes(n *big.Int) []byte {
	if n.Sign() >= 0 {
		b := n.Bytes()
		if len(b) == 0 {
			return []byte{0}
		}
		return b
	}
	der, err := asn1.Marshal(n)
	if err != nil || len(der) < 2 {
		return nil
	}
	return der[2:]
}

// altNames renders the subjectAltName entries in encoded order.
func altNames(c *x509.Certificate) []string {
	var raw []byte
	for _, e := range c.Extensions {
		if e.Id.Equal(oidSAN) {
			raw = e.Value
		}
	}
	var seq asn1.RawValue
	if raw == nil {
		return nil
	}
	if _, err := asn1.Unmarshal(raw, &seq); err != nil {
		return nil
	}
	var out []string
	for rest := seq.Bytes; len(rest) > 0; {
		var gn asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &gn); err != nil {
			break
		}
		if s, ok := generalName(gn); ok {
			out = append(out, s)
		}
	}
	return out
}

// generalName renders one GeneralName as strongSwan prints an identity.
func generalName(gn asn1.RawValue) (string, bool) {
	if gn.Class != asn1.ClassContextSpecific {
		return "", false
	}
	switch gn.Tag {
	case 1, 2, 6: // rfc822Name, dNSName, URI
		return printable(gn.Bytes), true
	case 4: // directoryName
		return formatDN(gn.Bytes), true
	case 7:
		if len(gn.Bytes) == 4 || len(gn.Bytes) == 16 {
			return net.IP(gn.Bytes).String(), true
		}
	}
	// TODO: otherName and registeredID entries are not shown.
	return "", false
}

// crlReasons are the names of CRL reason codes 0 to 8.
var crlReasons = []string{"unspecified", "key compromise", "ca compromise",
	"affiliation changed", "superseded", "cessation of operation", "certificate hold",
	"reason #7", "remove from crl"}

// crl renders a CRL; --short leaves out the revoked entries.
func (l *certLister) crl(der []byte) bool {
	c, err := x509.ParseRevocationList(der)
	if err != nil {
		return false
	}
	w := l.out
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  issuer:   \"%s\"\n", formatDN(c.RawIssuer))
	fmt.Fprintf(w, "  update:    this on %s, ok\n", l.stamp(c.ThisUpdate))
	l.expiry("             next on ", c.NextUpdate)
	if c.Number != nil {
		fmt.Fprintf(w, "  serial:    %s\n", serialHex(serialBytes(c.Number)))
	}
	for _, e := range c.Extensions {
		var base *big.Int
		if e.Id.Equal(oidDeltaCRL) {
			if _, err := asn1.Unmarshal(e.Value, &base); err == nil {
				fmt.Fprintf(w, "  delta CRL: for serial %s\n", serialHex(serialBytes(base)))
			}
		}
	}
	if len(c.AuthorityKeyId) > 0 {
		fmt.Fprintf(w, "  authKeyId: %s\n", hexColons(c.AuthorityKeyId))
	}
	n := len(c.RevokedCertificateEntries)
	plural, colon := "s", ""
	if n == 1 {
		plural = ""
	}
	if n > 0 && !l.short {
		colon = ":"
	}
	fmt.Fprintf(w, "  %d revoked certificate%s%s\n", n, plural, colon)
	if l.short {
		return true
	}
	for _, r := range c.RevokedCertificateEntries {
		reason := fmt.Sprintf("(%d)", r.ReasonCode)
		if r.ReasonCode >= 0 && r.ReasonCode < len(crlReasons) {
			reason = crlReasons[r.ReasonCode]
		}
		fmt.Fprintf(w, "    %s: %s, %s\n", serialHex(serialBytes(r.SerialNumber)),
			l.stamp(r.RevocationTime), reason)
	}
	return true
}
