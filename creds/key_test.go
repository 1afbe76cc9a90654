package creds

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"math/big"
	"testing"
)

// fakeRSA encodes a PKCS#1 RSA key with a modulus of the given size and
// nonsense factors: cheap to build at any size.
func fakeRSA(t *testing.T, modBits int) []byte {
	t.Helper()
	n := new(big.Int).Lsh(big.NewInt(1), uint(modBits-1))
	n.SetBit(n, 0, 1)
	one := big.NewInt(1)
	der, err := asn1.Marshal(struct {
		Version               int
		N                     *big.Int
		E                     int
		D, P, Q, Dp, Dq, Qinv *big.Int
	}{0, n, 65537, n, n, one, one, one, one})
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestParseKeyRefusesHugeRSA(t *testing.T) {
	huge := fakeRSA(t, MaxRSABits+1)
	pkcs8, err := asn1.Marshal(struct {
		Version int
		Algo    struct {
			OID    asn1.ObjectIdentifier
			Params asn1.RawValue
		}
		Key []byte
	}{Algo: struct {
		OID    asn1.ObjectIdentifier
		Params asn1.RawValue
	}{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}, asn1.NullRawValue}, Key: huge})
	if err != nil {
		t.Fatal(err)
	}
	for name, der := range map[string][]byte{"PKCS#1": huge, "PKCS#8": pkcs8} {
		for _, typ := range []KeyType{KeyRSA, KeyAny} {
			if _, err := ParseKey(typ, der); !errors.Is(err, ErrKeyTooLarge) ||
				!errors.Is(err, ErrParse) {
				t.Errorf("%s %s: %v, want ErrKeyTooLarge", name, typ, err)
			}
		}
	}
	// at the limit the size passes; the nonsense factors fail the parser
	if _, err := ParseKey(KeyRSA, fakeRSA(t, MaxRSABits)); err == nil ||
		errors.Is(err, ErrKeyTooLarge) {
		t.Errorf("%d bits: %v, want a parse error only", MaxRSABits, err)
	}
}

func TestRSAModulusBits(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(k)
	for name, tc := range map[string]struct {
		der  []byte
		want int
	}{
		"PKCS#1":  {x509.MarshalPKCS1PrivateKey(k), 1024},
		"PKCS#8":  {pkcs8, 1024},
		"fake":    {fakeRSA(t, 20000), 20000},
		"garbage": {[]byte("garbage"), 0},
		"empty":   {nil, 0},
	} {
		if got := rsaModulusBits(tc.der); got != tc.want {
			t.Errorf("%s: %d bits, want %d", name, got, tc.want)
		}
	}
	if _, err := ParseKey(KeyRSA, pkcs8); err != nil {
		t.Errorf("1024-bit key: %v", err)
	}
}
