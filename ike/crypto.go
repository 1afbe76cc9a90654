package ike

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
)

// ErrIntegrity reports an SK payload whose ICV or padding does not check out.
var ErrIntegrity = errors.New("ike: integrity check failed")

// Transform IDs this package implements.
const (
	EncrAESCBC   uint16 = 12
	EncrAESGCM16 uint16 = 20

	PRFHMACSHA256 uint16 = 5
	PRFHMACSHA384 uint16 = 6
	PRFHMACSHA512 uint16 = 7

	IntegSHA256128 uint16 = 12
	IntegSHA384192 uint16 = 13
	IntegSHA512256 uint16 = 14

	GroupMODP2048   uint16 = 14
	GroupECP256     uint16 = 19
	GroupECP384     uint16 = 20
	GroupCurve25519 uint16 = 31
)

// prfHash returns the hash of a PRF or integrity transform.
func prfHash(id uint16) (func() hash.Hash, bool) {
	switch id {
	case PRFHMACSHA256:
		return sha256.New, true
	case PRFHMACSHA384:
		return sha512.New384, true
	case PRFHMACSHA512:
		return sha512.New, true
	}
	return nil, false
}

// integParams returns the hash, key length and ICV length of an integrity
// transform.
func integParams(id uint16) (func() hash.Hash, int, int, bool) {
	switch id {
	case IntegSHA256128:
		return sha256.New, 32, 16, true
	case IntegSHA384192:
		return sha512.New384, 48, 24, true
	case IntegSHA512256:
		return sha512.New, 64, 32, true
	}
	return nil, 0, 0, false
}

// prf computes HMAC(key, data...) with h.
func prf(h func() hash.Hash, key []byte, data ...[]byte) []byte {
	m := hmac.New(h, key)
	for _, d := range data {
		m.Write(d)
	}
	return m.Sum(nil)
}

// prfPlus expands key and seed to n bytes (RFC 7296 section 2.13).
func prfPlus(h func() hash.Hash, key, seed []byte, n int) []byte {
	out := make([]byte, 0, n+64)
	var t []byte
	for i := 1; len(out) < n; i++ {
		if i > 255 {
			panic("ike: prf+ asked for too much key material")
		}
		t = prf(h, key, t, seed, []byte{byte(i)})
		out = append(out, t...)
	}
	return out[:n]
}

// cipherSuite protects SK payloads in one direction: encryption key, salt
// (AEAD) and integrity key.
type cipherSuite struct {
	aead  cipher.AEAD  // AES-GCM, nil for CBC
	block cipher.Block // AES-CBC
	integ func() hash.Hash
	ikey  []byte
	icv   int
	salt  []byte
}

func newCipherSuite(s *suite, ekey, ikey []byte) (*cipherSuite, error) {
	c := &cipherSuite{}
	if s.aead() {
		n := len(ekey) - 4
		block, err := aes.NewCipher(ekey[:n])
		if err != nil {
			return nil, fmt.Errorf("ike: %w", err)
		}
		if c.aead, err = cipher.NewGCMWithNonceSize(block, 12); err != nil {
			return nil, fmt.Errorf("ike: %w", err)
		}
		c.salt, c.icv = ekey[n:], 16
		return c, nil
	}
	block, err := aes.NewCipher(ekey)
	if err != nil {
		return nil, fmt.Errorf("ike: %w", err)
	}
	c.block, c.ikey = block, ikey
	h, _, icv, _ := integParams(s.integ)
	c.integ, c.icv = h, icv
	return c, nil
}

func (c *cipherSuite) ivLen() int {
	if c.aead != nil {
		return 8
	}
	return aes.BlockSize
}

// seal builds the whole message: header h, then an SK payload holding
// plain, the encoded inner payloads starting with type first.
func (c *cipherSuite) seal(h Header, first PayloadType, plain []byte,
	rnd io.Reader) ([]byte, error) {
	pad := 0
	if c.aead == nil {
		pad = (aes.BlockSize - (len(plain)+1)%aes.BlockSize) % aes.BlockSize
	}
	pt := make([]byte, 0, len(plain)+pad+1)
	pt = append(pt, plain...)
	pt = append(pt, make([]byte, pad+1)...)
	pt[len(pt)-1] = byte(pad)
	skLen := 4 + c.ivLen() + len(pt) + c.icv
	h.Next = PayloadSK
	h.Length = uint32(HeaderLen + skLen)
	if h.Length > MaxMessage {
		return nil, fmt.Errorf("ike: message of %d bytes too large", h.Length)
	}
	b := appendHeader(make([]byte, 0, h.Length), &h)
	b = append(b, byte(first), 0)
	b = binary.BigEndian.AppendUint16(b, uint16(skLen))
	aad := len(b)
	iv := make([]byte, c.ivLen())
	if _, err := io.ReadFull(rnd, iv); err != nil {
		return nil, fmt.Errorf("ike: iv: %w", err)
	}
	b = append(b, iv...)
	if c.aead != nil {
		nonce := append(append([]byte{}, c.salt...), iv...)
		return c.aead.Seal(b, nonce, pt, b[:aad]), nil
	}
	cipher.NewCBCEncrypter(c.block, iv).CryptBlocks(pt, pt)
	b = append(b, pt...)
	return append(b, prf(c.integ, c.ikey, b)[:c.icv]...), nil
}

// open checks and decrypts the SK payload sk, which is the last payload of
// raw, and returns the plaintext inner payload chain.
func (c *cipherSuite) open(raw []byte, sk *Encrypted) ([]byte, error) {
	if len(sk.Data) < c.ivLen()+c.icv+1 {
		return nil, ErrShort
	}
	skStart := len(raw) - 4 - len(sk.Data)
	iv := sk.Data[:c.ivLen()]
	var pt []byte
	if c.aead != nil {
		nonce := append(append([]byte{}, c.salt...), iv...)
		var err error
		pt, err = c.aead.Open(nil, nonce, sk.Data[c.ivLen():], raw[:skStart+4])
		if err != nil {
			return nil, ErrIntegrity
		}
	} else {
		body := raw[:len(raw)-c.icv]
		want := prf(c.integ, c.ikey, body)[:c.icv]
		if subtle.ConstantTimeCompare(want, raw[len(raw)-c.icv:]) != 1 {
			return nil, ErrIntegrity
		}
		ct := sk.Data[c.ivLen() : len(sk.Data)-c.icv]
		if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
			return nil, ErrIntegrity
		}
		pt = make([]byte, len(ct))
		cipher.NewCBCDecrypter(c.block, iv).CryptBlocks(pt, ct)
	}
	if len(pt) == 0 || int(pt[len(pt)-1]) >= len(pt) {
		return nil, ErrIntegrity
	}
	return pt[:len(pt)-1-int(pt[len(pt)-1])], nil
}
