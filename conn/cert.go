package conn

import (
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
)

// Cert is a certificate or raw public key configured in an auth round.
type Cert struct {
	DER []byte
	// Subject is what list-conn prints: the subject DN of a certificate, the
	// colon-hex SHA-1 of the SubjectPublicKeyInfo of a raw public key.
	Subject string
	// Cert is the parsed certificate; nil for a raw public key.
	Cert *x509.Certificate
}

var errNoCert = errors.New("conn: not a certificate")

// ParseCert reads an X.509 certificate in PEM or DER form.
func ParseCert(data []byte) (Cert, error) {
	der := pemBlock(data, "CERTIFICATE")
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return Cert{}, errors.Join(errNoCert, err)
	}
	var rdns pkix.RDNSequence
	if _, err := asn1.Unmarshal(c.RawSubject, &rdns); err != nil {
		return Cert{}, errors.Join(errNoCert, err)
	}
	return Cert{DER: der, Subject: FormatDN(rdns), Cert: c}, nil
}

// ParsePubkey reads a SubjectPublicKeyInfo public key in PEM or DER form.
//
// TODO: PKCS#1 RSA and OpenSSH public keys, which strongSwan also accepts.
func ParsePubkey(data []byte) (Cert, error) {
	der := pemBlock(data, "PUBLIC KEY")
	if _, err := x509.ParsePKIXPublicKey(der); err != nil {
		return Cert{}, errors.Join(errNoCert, err)
	}
	sum := sha1.Sum(der)
	return Cert{DER: der, Subject: colonHex(sum[:])}, nil
}

// pemBlock returns the first PEM block of the given type, or data itself
// when it is not PEM.
func pemBlock(data []byte, typ string) []byte {
	rest := data
	for bytes.Contains(rest, []byte("-----BEGIN")) {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type == typ {
			return b.Bytes
		}
	}
	return data
}
