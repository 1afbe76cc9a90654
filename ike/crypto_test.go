package ike

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"testing"
)

// kdf.json was computed with Python's hmac and hashlib, independently of
// this package (see the vectors' names for the suites).
type kdfVector struct {
	Name     string   `json:"name"`
	SKEYSEED string   `json:"skeyseed"`
	Keys     []string `json:"keys"`
	Auth     string   `json:"auth"`
	PRFPlus  string   `json:"prfplus"`
}

func TestKeyDerivationGolden(t *testing.T) {
	raw, err := os.ReadFile("testdata/kdf.json")
	if err != nil {
		t.Fatal(err)
	}
	var vecs []kdfVector
	if err := json.Unmarshal(raw, &vecs); err != nil {
		t.Fatal(err)
	}
	suites := map[string]string{"sha256-aes128": "aes128-sha256-x25519",
		"sha384-aes256": "aes256-sha384-x25519", "sha512-gcm256": "aes256gcm16-prfsha512-x25519"}
	ni, nr, g := seq(0, 32), seq(100, 32), seq(7, 32)
	for _, v := range vecs {
		t.Run(v.Name, func(t *testing.T) {
			ps, err := ParseProposals(ProtoIKE, []string{suites[v.Name]})
			if err != nil {
				t.Fatal(err)
			}
			sel, _ := Select(ps, ps, false)
			st, err := suiteOf(sel)
			if err != nil {
				t.Fatal(err)
			}
			k := deriveIKE(st, ni, nr, g, 0x0102030405060708, 0x1112131415161718)
			got := [][]byte{k.d, k.ai, k.ar, k.ei, k.er, k.pi, k.pr}
			for i, want := range v.Keys {
				if hex.EncodeToString(got[i]) != want {
					t.Errorf("key %d = %x, want %s", i, got[i], want)
				}
			}
			h, _ := prfHash(st.prf)
			auth := pskAuth(h, []byte("secret"), k.pr, []byte("message one"), nr,
				[]byte("\x02\x00\x00\x00moon"))
			if hex.EncodeToString(auth) != v.Auth {
				t.Errorf("AUTH = %x, want %s", auth, v.Auth)
			}
			if p := prfPlus(h, []byte("key"), []byte("seed"), 200); hex.EncodeToString(p) != v.PRFPlus {
				t.Errorf("prf+ = %x", p)
			}
		})
	}
}

func seq(start byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i)
	}
	return b
}

// TestMODP2048 checks the transcribed prime: a safe prime, as RFC 3526's
// groups are, which a typo would almost surely break.
func TestMODP2048(t *testing.T) {
	q := new(big.Int).Rsh(modp2048, 1)
	if modp2048.BitLen() != 2048 || !modp2048.ProbablyPrime(20) || !q.ProbablyPrime(20) {
		t.Fatal("modp2048 is not the 2048-bit safe prime")
	}
}

func TestKeyExchangeAgree(t *testing.T) {
	for _, g := range []uint16{GroupMODP2048, GroupECP256, GroupECP384, GroupCurve25519} {
		a, err := newKeyExchange(g, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := newKeyExchange(g, rand.Reader)
		za, err1 := a.Shared(b.Public())
		zb, err2 := b.Shared(a.Public())
		if err1 != nil || err2 != nil || !bytes.Equal(za, zb) {
			t.Errorf("group %d: no agreement (%v, %v)", g, err1, err2)
		}
		if _, err := a.Shared(make([]byte, len(a.Public()))); !errors.Is(err, ErrKE) {
			t.Errorf("group %d accepted an all-zero public value: %v", g, err)
		}
	}
	if _, err := newKeyExchange(2, rand.Reader); err == nil {
		t.Error("MODP 1024 accepted")
	}
}

func TestSealOpen(t *testing.T) {
	for _, p := range []string{"aes128-sha256-x25519", "aes256-sha512-x25519",
		"aes128gcm16-prfsha256-x25519", "aes256gcm16-prfsha384-x25519"} {
		ps, _ := ParseProposals(ProtoIKE, []string{p})
		st, _ := suiteOf(ps[0])
		c, err := newCipherSuite(st, seq(1, st.encKey), seq(2, st.integKey()))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{0, 1, 15, 16, 17, 100} {
			b, err := c.seal(Header{SPIi: 1, Exchange: Informational}, NoNext, seq(0, n),
				rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Decode(b)
			if err != nil {
				t.Fatalf("%s: sealed message does not decode: %v", p, err)
			}
			sk := m.Payloads[0].(*Encrypted)
			pt, err := c.open(b, sk)
			if err != nil || !bytes.Equal(pt, seq(0, n)) {
				t.Fatalf("%s/%d: open gave %x, %v", p, n, pt, err)
			}
			b[len(b)-1] ^= 1
			if _, err := c.open(b, sk); !errors.Is(err, ErrIntegrity) {
				t.Fatalf("%s: tampered message opened: %v", p, err)
			}
		}
	}
}
