package cli

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
)

// A parsedKey is a private key as swanctl sends it after parsing the file:
// the key type in capitals and its DER encoding.
type parsedKey struct {
	typ string // RSA, ECDSA, ED25519, ED448
	der []byte
	big bool // an RSA modulus over 8192 bits, which gmp declines
}

// errUnknownFormat is a file that is neither PEM nor DER.
var errUnknownFormat = errors.New("cli: file coded in unknown format")

// errNeedPassword is an encrypted key for which no passphrase worked.
var errNeedPassword = errors.New("cli: no passphrase for encrypted key")

var (
	oidRSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidEC      = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidEd25519 = asn1.ObjectIdentifier{1, 3, 101, 112}
	oidEd448   = asn1.ObjectIdentifier{1, 3, 101, 113}
)

// pkcs1Key is an RSA private key; it is re-encoded field by field so that
// its DER is what the file holds, whatever the key size.
type pkcs1Key struct {
	Version                      int
	N, E, D, P, Q, Dp, Dq, Coeff *big.Int
}

type pkcs8Key struct {
	Version int
	Algo    pkix.AlgorithmIdentifier
	Key     []byte
}

type encryptedPKCS8 struct {
	Algo pkix.AlgorithmIdentifier
	Data []byte
}

// parsePrivateKey parses a key file for a wanted type (ANY, RSA or
// ECDSA). passwords yields the passphrases to try for an encrypted key, one
// per call, and false when there are no more; badPass, if not nil, is told
// of each one that does not decrypt a traditional encrypted PEM block.
func parsePrivateKey(data []byte, want string, passwords func() (string, bool),
	badPass func()) (parsedKey, error) {
	blocks, isPEM := pemBlocks(data)
	if !isPEM {
		if !looksDER(data) {
			return parsedKey{}, errUnknownFormat
		}
		return parseKeyDER(data, want)
	}
	var lastErr error = errUnknownFormat
	for _, b := range blocks {
		der := b.Bytes
		dek, encrypted := b.Headers["DEK-Info"]
		switch {
		case b.Type == "ENCRYPTED PRIVATE KEY":
			var ep encryptedPKCS8
			if _, err := asn1.Unmarshal(der, &ep); err != nil {
				lastErr = fmt.Errorf("cli: encrypted PKCS#8: %w", err)
				continue
			}
			k, err := tryPasswords(passwords, func(pw string) (parsedKey, error) {
				plain, err := pbeDecrypt(ep.Algo, ep.Data, pw)
				if err != nil {
					return parsedKey{}, err
				}
				return parseKeyDER(plain, want)
			})
			if err == nil {
				return k, nil
			}
			lastErr = err
			continue
		case encrypted:
			k, err := tryPasswords(passwords, func(pw string) (parsedKey, error) {
				plain, err := decryptPEMBlock(dek, der, pw)
				if err != nil {
					if badPass != nil {
						badPass()
					}
					return parsedKey{}, err
				}
				return parseKeyDER(plain, want)
			})
			if err == nil {
				return k, nil
			}
			lastErr = err
			continue
		}
		k, err := parseKeyDER(der, want)
		if err == nil {
			return k, nil
		}
		lastErr = err
	}
	return parsedKey{}, lastErr
}

// tryPasswords calls parse with each passphrase until one works.
func tryPasswords(passwords func() (string, bool),
	parse func(string) (parsedKey, error)) (parsedKey, error) {
	if passwords == nil {
		return parsedKey{}, errNeedPassword
	}
	for {
		pw, ok := passwords()
		if !ok {
			return parsedKey{}, errNeedPassword
		}
		if k, err := parse(pw); err == nil {
			return k, nil
		}
	}
}

// pemBlocks returns the PEM blocks of data and whether it is PEM at all.
func pemBlocks(data []byte) ([]*pem.Block, bool) {
	var blocks []*pem.Block
	rest := data
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		blocks = append(blocks, b)
	}
	return blocks, len(blocks) > 0
}

// looksDER says whether data is one ASN.1 SEQUENCE filling the file, as
// libstrongswan checks before taking a file as DER.
func looksDER(data []byte) bool {
	var v asn1.RawValue
	rest, err := asn1.Unmarshal(data, &v)
	if err != nil || v.Tag != asn1.TagSequence {
		return false
	}
	return len(rest) == 0 || (len(rest) <= 2 && rest[0] == '\n' || string(rest) == "\r\n")
}

// parseKeyDER parses an unencrypted DER key of the wanted type.
func parseKeyDER(der []byte, want string) (parsedKey, error) {
	if want == "ANY" || want == "RSA" {
		if k, err := rsaKey(der); err == nil {
			return k, nil
		}
	}
	if want == "ANY" || want == "ECDSA" {
		if k, err := x509.ParseECPrivateKey(der); err == nil {
			return ecKey(k)
		}
	}
	var p8 pkcs8Key
	if _, err := asn1.Unmarshal(der, &p8); err != nil {
		return parsedKey{}, fmt.Errorf("cli: private key: %w", err)
	}
	switch {
	case p8.Algo.Algorithm.Equal(oidRSA) && want != "ECDSA":
		return rsaKey(p8.Key)
	case p8.Algo.Algorithm.Equal(oidEC) && want != "RSA":
		k, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			return parsedKey{}, fmt.Errorf("cli: EC private key: %w", err)
		}
		ec, ok := k.(*ecdsa.PrivateKey)
		if !ok {
			return parsedKey{}, errors.New("cli: EC private key of unexpected type")
		}
		return ecKey(ec)
	case p8.Algo.Algorithm.Equal(oidEd25519) && want == "ANY":
		k, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			return parsedKey{}, fmt.Errorf("cli: Ed25519 private key: %w", err)
		}
		out, err := x509.MarshalPKCS8PrivateKey(k.(ed25519.PrivateKey))
		return parsedKey{typ: "ED25519", der: out}, err
	case p8.Algo.Algorithm.Equal(oidEd448) && want == "ANY":
		var seed []byte
		if _, err := asn1.Unmarshal(p8.Key, &seed); err != nil || len(seed) != 57 {
			return parsedKey{}, errors.New("cli: malformed Ed448 private key")
		}
		out, err := asn1.Marshal(pkcs8Key{Algo: pkix.AlgorithmIdentifier{Algorithm: oidEd448},
			Key: p8.Key})
		return parsedKey{typ: "ED448", der: out}, err
	}
	return parsedKey{}, fmt.Errorf("cli: unsupported private key algorithm %s", p8.Algo.Algorithm)
}

func rsaKey(der []byte) (parsedKey, error) {
	var k pkcs1Key
	rest, err := asn1.Unmarshal(der, &k)
	if err != nil || len(rest) != 0 || k.N == nil || k.N.Sign() <= 0 {
		return parsedKey{}, errors.New("cli: not a PKCS#1 RSA key")
	}
	out, err := asn1.Marshal(k)
	if err != nil {
		return parsedKey{}, fmt.Errorf("cli: encoding RSA key: %w", err)
	}
	return parsedKey{typ: "RSA", der: out, big: k.N.BitLen() > 8192}, nil
}

func ecKey(k *ecdsa.PrivateKey) (parsedKey, error) {
	out, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		return parsedKey{}, fmt.Errorf("cli: encoding EC key: %w", err)
	}
	return parsedKey{typ: "ECDSA", der: out}, nil
}
