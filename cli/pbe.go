package cli

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/hmac"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"
	"unicode/utf16"
)

// errDecrypt is a passphrase that does not decrypt a key or container.
var errDecrypt = errors.New("cli: decryption failed")

// OIDs of the password-based encryption schemes swanctl's plugins read.
var (
	oidPBES2        = "1.2.840.113549.1.5.13"
	oidPBKDF2       = "1.2.840.113549.1.5.12"
	oidPBEShaDES3   = "1.2.840.113549.1.12.1.3"
	oidHMACWithSHA1 = "1.2.840.113549.2.7"
)

// prfs are the PBKDF2 pseudo-random functions by OID.
var prfs = map[string]func() hash.Hash{
	oidHMACWithSHA1:       sha1.New,
	"1.2.840.113549.2.8":  sha256.New224,
	"1.2.840.113549.2.9":  sha256.New,
	"1.2.840.113549.2.10": sha512.New384,
	"1.2.840.113549.2.11": sha512.New,
}

// cbcCiphers are the CBC block ciphers by OID, with their key length.
var cbcCiphers = map[string]struct {
	keyLen int
	block  func([]byte) (cipher.Block, error)
}{
	"2.16.840.1.101.3.4.1.2":  {16, aes.NewCipher},
	"2.16.840.1.101.3.4.1.22": {24, aes.NewCipher},
	"2.16.840.1.101.3.4.1.42": {32, aes.NewCipher},
	"1.2.840.113549.3.7":      {24, des.NewTripleDESCipher},
	"1.3.14.3.2.7":            {8, des.NewCipher},
}

type pbes2Params struct {
	KDF    pkix.AlgorithmIdentifier
	Scheme pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt       []byte
	Iterations int
	KeyLen     int                      `asn1:"optional"`
	PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
}

type pkcs12PBEParams struct {
	Salt       []byte
	Iterations int
}

// pbeDecrypt decrypts data encrypted with algorithm alg under password
// (PBES2 takes it as it is, the PKCS#12 schemes as a BMPString).
func pbeDecrypt(alg pkix.AlgorithmIdentifier, data []byte, password string) ([]byte, error) {
	switch alg.Algorithm.String() {
	case oidPBES2:
		var p pbes2Params
		if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil {
			return nil, fmt.Errorf("cli: PBES2 parameters: %w", err)
		}
		if p.KDF.Algorithm.String() != oidPBKDF2 {
			return nil, fmt.Errorf("cli: key derivation %s unsupported", p.KDF.Algorithm)
		}
		var kp pbkdf2Params
		if _, err := asn1.Unmarshal(p.KDF.Parameters.FullBytes, &kp); err != nil {
			return nil, fmt.Errorf("cli: PBKDF2 parameters: %w", err)
		}
		prf := sha1.New
		if len(kp.PRF.Algorithm) > 0 {
			if prf = prfs[kp.PRF.Algorithm.String()]; prf == nil {
				return nil, fmt.Errorf("cli: PRF %s unsupported", kp.PRF.Algorithm)
			}
		}
		c, ok := cbcCiphers[p.Scheme.Algorithm.String()]
		if !ok {
			return nil, fmt.Errorf("cli: cipher %s unsupported", p.Scheme.Algorithm)
		}
		var iv []byte
		if _, err := asn1.Unmarshal(p.Scheme.Parameters.FullBytes, &iv); err != nil {
			return nil, fmt.Errorf("cli: cipher IV: %w", err)
		}
		key, err := pbkdf2.Key(prf, password, kp.Salt, kp.Iterations, c.keyLen)
		if err != nil {
			return nil, fmt.Errorf("cli: PBKDF2: %w", err)
		}
		return cbcDecrypt(c.block, key, iv, data)
	case oidPBEShaDES3:
		var p pkcs12PBEParams
		if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil {
			return nil, fmt.Errorf("cli: PBE parameters: %w", err)
		}
		pw := bmpPassword(password)
		key := pkcs12KDF(sha1.New, pw, p.Salt, p.Iterations, 1, 24)
		iv := pkcs12KDF(sha1.New, pw, p.Salt, p.Iterations, 2, 8)
		return cbcDecrypt(des.NewTripleDESCipher, key, iv, data)
	}
	// TODO: PBES1 and the RC2/RC4 PKCS#12 schemes are not supported.
	return nil, fmt.Errorf("cli: encryption scheme %s unsupported", alg.Algorithm)
}

// cbcDecrypt decrypts and removes PKCS#7 padding; bad padding means a
// wrong passphrase.
func cbcDecrypt(newBlock func([]byte) (cipher.Block, error), key, iv, data []byte) ([]byte, error) {
	b, err := newBlock(key)
	if err != nil {
		return nil, fmt.Errorf("cli: cipher: %w", err)
	}
	bs := b.BlockSize()
	if len(iv) != bs || len(data) == 0 || len(data)%bs != 0 {
		return nil, errDecrypt
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(b, iv).CryptBlocks(out, data)
	n := int(out[len(out)-1])
	if n == 0 || n > bs {
		return nil, errDecrypt
	}
	for _, c := range out[len(out)-n:] {
		if int(c) != n {
			return nil, errDecrypt
		}
	}
	return out[:len(out)-n], nil
}

// bmpPassword encodes a password as PKCS#12 wants it: UTF-16BE with a
// terminating zero.
func bmpPassword(pw string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(pw)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return append(out, 0, 0)
}

// pkcs12KDF derives n bytes as in RFC 7292 appendix B.2.
func pkcs12KDF(h func() hash.Hash, pw, salt []byte, iter int, id byte, n int) []byte {
	v := h().BlockSize()
	fill := func(b []byte) []byte {
		if len(b) == 0 {
			return nil
		}
		out := make([]byte, v*((len(b)+v-1)/v))
		for i := range out {
			out[i] = b[i%len(b)]
		}
		return out
	}
	d := make([]byte, v)
	for i := range d {
		d[i] = id
	}
	I := append(fill(salt), fill(pw)...)
	var out []byte
	for len(out) < n {
		hh := h()
		hh.Write(d)
		hh.Write(I)
		a := hh.Sum(nil)
		for j := 1; j < iter; j++ {
			hh = h()
			hh.Write(a)
			a = hh.Sum(nil)
		}
		out = append(out, a...)
		b := fill(a)[:v]
		for j := 0; j < len(I); j += v {
			carry := 1
			for k := v - 1; k >= 0; k-- {
				s := int(I[j+k]) + int(b[k]) + carry
				I[j+k], carry = byte(s), s>>8
			}
		}
	}
	return out[:n]
}

// pkcs12MAC computes a PKCS#12 MAC with the key derived from password.
func pkcs12MAC(h func() hash.Hash, password string, salt []byte, iter int, data []byte) []byte {
	key := pkcs12KDF(h, bmpPassword(password), salt, iter, 3, h().Size())
	m := hmac.New(h, key)
	m.Write(data)
	return m.Sum(nil)
}

// decryptPEMBlock decrypts a traditional encrypted PEM body (DEK-Info
// header) with OpenSSL's MD5-based key derivation.
func decryptPEMBlock(dekInfo string, body []byte, password string) ([]byte, error) {
	name, ivHex, ok := strings.Cut(dekInfo, ",")
	if !ok {
		return nil, fmt.Errorf("cli: malformed DEK-Info %q", dekInfo)
	}
	iv, err := hex.DecodeString(strings.TrimSpace(ivHex))
	if err != nil || len(iv) < 8 {
		return nil, fmt.Errorf("cli: malformed DEK-Info IV %q", ivHex)
	}
	var keyLen int
	newBlock := aes.NewCipher
	switch strings.ToUpper(strings.TrimSpace(name)) {
	case "AES-128-CBC":
		keyLen = 16
	case "AES-192-CBC":
		keyLen = 24
	case "AES-256-CBC":
		keyLen = 32
	case "DES-EDE3-CBC":
		keyLen, newBlock = 24, des.NewTripleDESCipher
	case "DES-CBC":
		keyLen, newBlock = 8, des.NewCipher
	default:
		return nil, fmt.Errorf("cli: PEM cipher %s unsupported", name)
	}
	var key, prev []byte
	for len(key) < keyLen {
		d := md5.New()
		d.Write(prev)
		d.Write([]byte(password))
		d.Write(iv[:8])
		prev = d.Sum(nil)
		key = append(key, prev...)
	}
	return cbcDecrypt(newBlock, key[:keyLen], iv, body)
}
