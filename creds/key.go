package creds

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/bits"
	"strings"
)

// KeyType is a private key type by strongSwan's name for it.
type KeyType string

// Private key types load-key knows. DSA, ED448 and BLISS are known names
// that never parse: Go's crypto has no ED448, strongSwan no DSA, and 5.9.8
// builds no BLISS.
const (
	KeyAny     KeyType = "ANY"
	KeyRSA     KeyType = "RSA"
	KeyECDSA   KeyType = "ECDSA"
	KeyDSA     KeyType = "DSA"
	KeyEd25519 KeyType = "ED25519"
	KeyEd448   KeyType = "ED448"
	KeyBLISS   KeyType = "BLISS"
)

// ParseKeyType reads a load-key type name case-insensitively.
func ParseKeyType(s string) (KeyType, error) {
	for _, t := range []KeyType{KeyAny, KeyRSA, KeyECDSA, KeyDSA, KeyEd25519, KeyEd448,
		KeyBLISS} {
		if strings.EqualFold(s, string(t)) {
			return t, nil
		}
	}
	return "", fmt.Errorf("%w: %s", ErrKeyType, s)
}

// Key is one private key.
type Key struct {
	ID   string // hex SHA-1 of the public key, as get-keys lists it
	Type KeyType
	Key  crypto.Signer
}

// ParseKey parses a private key of type t (KeyAny: whatever it is) from
// PKCS#1, SEC 1 or PKCS#8, PEM or DER.
func ParseKey(t KeyType, data []byte) (*Key, error) {
	der := decodePEM(data)
	fail := fmt.Errorf("%w: %s private key", ErrParse, t)
	if rsaModulusBits(der) > MaxRSABits {
		// checked before Go's parser, which validates the key at a cost
		// that grows fast with its size
		return nil, fmt.Errorf("%w: %w", fail, ErrKeyTooLarge)
	}
	var k any
	var err error
	if k, err = x509.ParsePKCS8PrivateKey(der); err != nil {
		if k, err = x509.ParsePKCS1PrivateKey(der); err != nil {
			k, err = x509.ParseECPrivateKey(der)
		}
	}
	if err != nil {
		return nil, fail
	}
	var got KeyType
	switch k.(type) {
	case *rsa.PrivateKey:
		got = KeyRSA
	case *ecdsa.PrivateKey:
		got = KeyECDSA
	case ed25519.PrivateKey:
		got = KeyEd25519
	default:
		return nil, fail
	}
	if t != KeyAny && t != got {
		return nil, fail
	}
	s := k.(crypto.Signer)
	spki, err := x509.MarshalPKIXPublicKey(s.Public())
	if err != nil {
		return nil, fail
	}
	return &Key{ID: spkiKeyID(spki), Type: got, Key: s}, nil
}

// MaxRSABits is the largest RSA modulus load-key accepts, the largest
// strongSwan's own tests use.
const MaxRSABits = 16384

// ErrKeyTooLarge says a key was refused for its size alone.
var ErrKeyTooLarge = errors.New("creds: key too large")

// rsaModulusBits returns the size of the modulus of a PKCS#1 or PKCS#8 RSA
// private key in DER without parsing the rest, or 0 for anything else.
func rsaModulusBits(der []byte) int {
	var seq asn1.RawValue
	if _, err := asn1.Unmarshal(der, &seq); err != nil || seq.Tag != asn1.TagSequence {
		return 0
	}
	var version, second asn1.RawValue
	rest, err := asn1.Unmarshal(seq.Bytes, &version)
	if err != nil || version.Tag != asn1.TagInteger {
		return 0
	}
	if rest, err = asn1.Unmarshal(rest, &second); err != nil {
		return 0
	}
	switch second.Tag {
	case asn1.TagInteger: // PKCS#1: version, modulus, ...
		n := second.Bytes
		for len(n) > 0 && n[0] == 0 {
			n = n[1:]
		}
		if len(n) == 0 {
			return 0
		}
		return (len(n)-1)*8 + bits.Len8(n[0])
	case asn1.TagSequence: // PKCS#8: version, algorithm, PKCS#1 in an octet string
		var inner asn1.RawValue
		if _, err := asn1.Unmarshal(rest, &inner); err != nil ||
			inner.Tag != asn1.TagOctetString || inner.IsCompound {
			return 0
		}
		return rsaModulusBits(inner.Bytes)
	}
	return 0
}
