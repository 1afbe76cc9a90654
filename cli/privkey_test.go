package cli

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"testing"
)

// TestParsePrivateKey checks the type and DER swanctl sends for keys in
// the encodings a credential folder may hold.
func TestParsePrivateKey(t *testing.T) {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, edk, _ := ed25519.GenerateKey(rand.Reader)
	pkcs1 := x509.MarshalPKCS1PrivateKey(rk)
	sec1, _ := x509.MarshalECPrivateKey(ek)
	p8rsa, _ := x509.MarshalPKCS8PrivateKey(rk)
	p8ec, _ := x509.MarshalPKCS8PrivateKey(ek)
	p8ed, _ := x509.MarshalPKCS8PrivateKey(edk)
	pemOf := func(typ string, der []byte) []byte {
		return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
	}
	tests := []struct {
		name, want string
		data       []byte
		typ        string
		der        []byte
	}{
		{"pkcs1 pem", "RSA", pemOf("RSA PRIVATE KEY", pkcs1), "RSA", pkcs1},
		{"pkcs1 der as any", "ANY", pkcs1, "RSA", pkcs1},
		{"pkcs8 rsa in rsa folder", "RSA", pemOf("PRIVATE KEY", p8rsa), "RSA", pkcs1},
		{"sec1", "ECDSA", pemOf("EC PRIVATE KEY", sec1), "ECDSA", sec1},
		{"pkcs8 ec", "ANY", pemOf("PRIVATE KEY", p8ec), "ECDSA", sec1},
		{"ed25519", "ANY", pemOf("PRIVATE KEY", p8ed), "ED25519", p8ed},
	}
	for _, tc := range tests {
		k, err := parsePrivateKey(tc.data, tc.want, nil, nil)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if k.typ != tc.typ || !bytes.Equal(k.der, tc.der) {
			t.Errorf("%s: got %s %x, want %s %x", tc.name, k.typ, k.der, tc.typ, tc.der)
		}
	}
	if _, err := parsePrivateKey([]byte("garbage\n"), "RSA", nil, nil); !errors.Is(err, errUnknownFormat) {
		t.Errorf("garbage: %v, want errUnknownFormat", err)
	}
	if _, err := parsePrivateKey(pemOf("EC PRIVATE KEY", sec1), "RSA", nil, nil); err == nil {
		t.Error("an EC key parsed as RSA")
	}
}

// TestEncryptedPEM decrypts a traditional encrypted PEM block only with
// its passphrase.
func TestEncryptedPEM(t *testing.T) {
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	sec1, _ := x509.MarshalECPrivateKey(ek)
	//lint:ignore SA1019 only to produce a fixture in the legacy format
	blk, err := x509.EncryptPEMBlock(rand.Reader, "EC PRIVATE KEY", sec1, []byte("pw"),
		x509.PEMCipherAES256)
	if err != nil {
		t.Fatal(err)
	}
	data := pem.EncodeToMemory(blk)
	bad := 0
	_, err = parsePrivateKey(data, "ECDSA", passwordSource([]string{"wrong"}), func() { bad++ })
	if !errors.Is(err, errNeedPassword) || bad != 1 {
		t.Fatalf("wrong passphrase: %v, %d bad", err, bad)
	}
	k, err := parsePrivateKey(data, "ECDSA", passwordSource([]string{"wrong", "pw"}), nil)
	if err != nil || !bytes.Equal(k.der, sec1) {
		t.Fatalf("right passphrase: %v", err)
	}
}

// TestPKCS12KDF checks the key derivation against the widely published
// vector for password "smeg" (SHA-1, ID 1, one iteration, 24 bytes).
func TestPKCS12KDF(t *testing.T) {
	got := pkcs12KDF(sha1.New, bmpPassword("smeg"), []byte{0x0a, 0x58, 0xcf, 0x64, 0x53,
		0x0d, 0x82, 0x3f}, 1, 1, 24)
	want := "8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3"
	if hex.EncodeToString(got) != want {
		t.Fatalf("got %x, want %s", got, want)
	}
}
