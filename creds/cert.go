package creds

import (
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// CertType is a certificate type by strongSwan's name for it.
type CertType string

// Certificate types. Only some of them can be loaded; the others are
// known names that fail to parse, as in charon without their plugins.
const (
	CertAny          CertType = "ANY"
	CertX509         CertType = "X509"
	CertCRL          CertType = "X509_CRL"
	CertOCSPRequest  CertType = "OCSP_REQUEST"
	CertOCSPResponse CertType = "OCSP_RESPONSE"
	CertAC           CertType = "X509_AC"
	CertPubkey       CertType = "PUBKEY"
	CertPKCS10       CertType = "PKCS10_REQUEST"
	CertPGP          CertType = "PGP"
)

var certTypes = []CertType{CertAny, CertX509, CertCRL, CertOCSPRequest, CertOCSPResponse,
	CertAC, CertPubkey, CertPKCS10, CertPGP}

// Flag marks the role of an X.509 certificate.
type Flag string

// X.509 flags as VICI names them; FlagAny only filters listings.
const (
	FlagNone Flag = "NONE"
	FlagCA   Flag = "CA"
	FlagAA   Flag = "AA"
	FlagOCSP Flag = "OCSP"
	FlagAny  Flag = "ANY"
)

// legacy maps swanctl's folder names, accepted as type names, to a type
// and flag.
var legacy = map[string]struct {
	t CertType
	f Flag
}{
	"x509": {CertX509, FlagNone}, "x509ca": {CertX509, FlagCA}, "x509aa": {CertX509, FlagAA},
	"x509ocsp": {CertX509, FlagOCSP}, "x509crl": {CertCRL, FlagNone},
	"x509ac": {CertAC, FlagNone}, "pubkey": {CertPubkey, FlagNone},
}

// Errors of certificate and key parsing.
var (
	ErrCertType = errors.New("creds: invalid certificate type")
	ErrFlag     = errors.New("creds: invalid certificate flag")
	ErrParse    = errors.New("creds: parsing failed")
	ErrNotCA    = errors.New("creds: ca certificate lacks CA basic constraint")
	ErrKeyType  = errors.New("creds: invalid key type")
)

// ParseCertType reads a type name case-insensitively, strongSwan's enum
// names first, then swanctl's folder names. legacyFlag is the flag a folder
// name implies (FlagNone otherwise; ok reports whether it implies one).
func ParseCertType(s string) (t CertType, legacyFlag Flag, implied bool, err error) {
	for _, c := range certTypes {
		if strings.EqualFold(s, string(c)) {
			return c, FlagNone, false, nil
		}
	}
	if l, ok := legacy[strings.ToLower(s)]; ok {
		return l.t, l.f, true, nil
	}
	return "", "", false, fmt.Errorf("%w: %s", ErrCertType, s)
}

// ParseFlag reads an X.509 flag name case-insensitively.
func ParseFlag(s string) (Flag, error) {
	for _, f := range []Flag{FlagNone, FlagCA, FlagAA, FlagOCSP, FlagAny} {
		if strings.EqualFold(s, string(f)) {
			return f, nil
		}
	}
	return "", fmt.Errorf("%w: %s", ErrFlag, s)
}

// Cert is one parsed certificate. Fields are not modified once stored.
type Cert struct {
	Type CertType
	// Flags holds the X.509 roles: those the certificate states (CA from
	// its basic constraints, OCSP from its extended key usage) and the one
	// it was loaded with.
	Flags map[Flag]bool
	DER   []byte // the certificate; for PUBKEY the SubjectPublicKeyInfo
	X509  *x509.Certificate
	// KeyID is the SHA-1 of the public key (hex), or "" where the type
	// carries none (CRLs, attribute certificates, OCSP responses).
	KeyID string
}

// Equal reports whether two certificates are the same object.
func (c *Cert) Equal(o *Cert) bool { return c.Type == o.Type && bytes.Equal(c.DER, o.DER) }

// decodePEM returns the DER of the first PEM block in data, or data itself
// if it holds no PEM.
func decodePEM(data []byte) []byte {
	if b, _ := pem.Decode(data); b != nil {
		return b.Bytes
	}
	return data
}

// ParseCert parses a certificate of type t loaded with flag f (PEM or DER).
func ParseCert(t CertType, f Flag, data []byte) (*Cert, error) {
	der := decodePEM(data)
	c := &Cert{Type: t, Flags: map[Flag]bool{}, DER: der}
	switch t {
	case CertX509:
		x, err := x509.ParseCertificate(der)
		// charon refuses critical extensions it does not know, so do we
		if err != nil || len(x.UnhandledCriticalExtensions) > 0 {
			return nil, fmt.Errorf("%w: %s certificate", ErrParse, t)
		}
		isCA := x.BasicConstraintsValid && x.IsCA
		// ANY stands for every role, CA included, as in charon
		if (f == FlagCA || f == FlagAny) && !isCA {
			return nil, ErrNotCA
		}
		c.X509, c.KeyID = x, spkiKeyID(x.RawSubjectPublicKeyInfo)
		c.Flags[FlagCA] = isCA
		for _, u := range x.ExtKeyUsage {
			if u == x509.ExtKeyUsageOCSPSigning {
				c.Flags[FlagOCSP] = true
			}
		}
		switch f {
		case FlagNone:
		case FlagAny:
			c.Flags[FlagCA], c.Flags[FlagAA], c.Flags[FlagOCSP] = true, true, true
		default:
			c.Flags[f] = true
		}
	case CertCRL:
		if _, err := x509.ParseRevocationList(der); err != nil {
			return nil, fmt.Errorf("%w: %s certificate", ErrParse, t)
		}
	case CertAC, CertOCSPResponse:
		// TODO: attribute certificates and OCSP responses are only checked
		// to be a signed DER structure, not parsed.
		if !signedDER(der) {
			return nil, fmt.Errorf("%w: %s certificate", ErrParse, t)
		}
	case CertPubkey:
		spki, err := parsePublicKey(der)
		if err != nil {
			return nil, fmt.Errorf("%w: %s certificate", ErrParse, t)
		}
		c.DER, c.KeyID = spki, spkiKeyID(spki)
	default:
		return nil, fmt.Errorf("%w: %s certificate", ErrParse, t)
	}
	return c, nil
}

// signedDER reports whether der is a SEQUENCE of a SEQUENCE, an algorithm
// identifier and a BIT STRING, the shape of every signed X.509 object.
func signedDER(der []byte) bool {
	var s struct {
		Body asn1.RawValue
		Alg  asn1.RawValue
		Sig  asn1.BitString
	}
	rest, err := asn1.Unmarshal(der, &s)
	return err == nil && len(rest) == 0 && s.Body.Tag == asn1.TagSequence
}

// parsePublicKey returns the SubjectPublicKeyInfo DER of a public key given
// as SubjectPublicKeyInfo or PKCS#1 RSAPublicKey.
func parsePublicKey(der []byte) ([]byte, error) {
	if k, err := x509.ParsePKIXPublicKey(der); err == nil {
		return x509.MarshalPKIXPublicKey(k)
	}
	k, err := x509.ParsePKCS1PublicKey(der)
	if err != nil {
		return nil, err
	}
	return x509.MarshalPKIXPublicKey(k)
}

// spkiKeyID is strongSwan's key id: the SHA-1 of the subjectPublicKey bits
// of a SubjectPublicKeyInfo (the PKCS#1 key for RSA, the point for ECDSA).
func spkiKeyID(spki []byte) string {
	var s struct {
		Alg asn1.RawValue
		Key asn1.BitString
	}
	if _, err := asn1.Unmarshal(spki, &s); err != nil {
		return ""
	}
	return fmt.Sprintf("%x", sha1.Sum(s.Key.Bytes))
}
