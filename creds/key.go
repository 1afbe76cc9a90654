package creds

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
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
	var k any
	var err error
	if k, err = x509.ParsePKCS8PrivateKey(der); err != nil {
		if k, err = x509.ParsePKCS1PrivateKey(der); err != nil {
			k, err = x509.ParseECPrivateKey(der)
		}
	}
	fail := fmt.Errorf("%w: %s private key", ErrParse, t)
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
