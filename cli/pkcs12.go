package cli

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
)

// A pkcs12Container is what swanctl takes from a PKCS#12 file: its
// certificates in the order it loads them and its private keys.
type pkcs12Container struct {
	certs [][]byte // DER
	keys  []parsedKey
}

var (
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidEncryptedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}
	oidKeyBag        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 1}
	oidShroudedBag   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
	oidCertBag       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 3}
	oidX509Cert      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 22, 1}
)

// macHashes are the PKCS#12 MAC digests by OID.
var macHashes = map[string]func() hash.Hash{
	"1.3.14.3.2.26":          sha1.New,
	"2.16.840.1.101.3.4.2.1": sha256.New,
	"2.16.840.1.101.3.4.2.2": sha512.New384,
	"2.16.840.1.101.3.4.2.3": sha512.New,
}

type pfx struct {
	Version  int
	AuthSafe contentInfo
	MacData  macData `asn1:"optional"`
}

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
}

type macData struct {
	Mac struct {
		Algo   pkix.AlgorithmIdentifier
		Digest []byte
	}
	Salt       []byte
	Iterations int `asn1:"optional,default:1"`
}

type encryptedData struct {
	Version int
	Info    struct {
		ContentType asn1.ObjectIdentifier
		Algo        pkix.AlgorithmIdentifier
		Content     []byte `asn1:"tag:0,optional"`
	}
}

type safeBag struct {
	ID    asn1.ObjectIdentifier
	Value asn1.RawValue `asn1:"tag:0,explicit"`
	Attrs asn1.RawValue `asn1:"optional"`
}

type certBag struct {
	ID    asn1.ObjectIdentifier
	Value []byte `asn1:"tag:0,explicit"`
}

// parsePKCS12 opens a PKCS#12 file with the first passphrase that passes
// its MAC.
func parsePKCS12(data []byte, passwords func() (string, bool)) (*pkcs12Container, error) {
	var p pfx
	if _, err := asn1.Unmarshal(data, &p); err != nil {
		return nil, errUnknownFormat
	}
	if !p.AuthSafe.ContentType.Equal(oidData) {
		return nil, errors.New("cli: PKCS#12 without password integrity unsupported")
	}
	var authSafe []byte
	if _, err := asn1.Unmarshal(p.AuthSafe.Content.Bytes, &authSafe); err != nil {
		return nil, fmt.Errorf("cli: PKCS#12 content: %w", err)
	}
	if passwords == nil {
		return nil, errNeedPassword
	}
	for {
		pw, ok := passwords()
		if !ok {
			return nil, errNeedPassword
		}
		if len(p.MacData.Mac.Digest) > 0 {
			h := macHashes[p.MacData.Mac.Algo.Algorithm.String()]
			if h == nil {
				return nil, fmt.Errorf("cli: PKCS#12 MAC %s unsupported",
					p.MacData.Mac.Algo.Algorithm)
			}
			mac := pkcs12MAC(h, pw, p.MacData.Salt, p.MacData.Iterations, authSafe)
			if !hmac.Equal(mac, p.MacData.Mac.Digest) {
				continue
			}
		}
		c, err := readAuthSafe(authSafe, pw)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, errDecrypt) {
			return nil, err
		}
	}
}

func readAuthSafe(authSafe []byte, pw string) (*pkcs12Container, error) {
	var infos []contentInfo
	if _, err := asn1.Unmarshal(authSafe, &infos); err != nil {
		return nil, fmt.Errorf("cli: PKCS#12 safes: %w", err)
	}
	c := &pkcs12Container{}
	for _, ci := range infos {
		var contents []byte
		switch {
		case ci.ContentType.Equal(oidData):
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &contents); err != nil {
				return nil, fmt.Errorf("cli: PKCS#12 data: %w", err)
			}
		case ci.ContentType.Equal(oidEncryptedData):
			var ed encryptedData
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &ed); err != nil {
				return nil, fmt.Errorf("cli: PKCS#12 encrypted data: %w", err)
			}
			plain, err := pbeDecrypt(ed.Info.Algo, ed.Info.Content, pw)
			if err != nil {
				return nil, err
			}
			contents = plain
		default:
			continue
		}
		if err := c.readBags(contents, pw); err != nil {
			return nil, err
		}
	}
	// libstrongswan hands the certificates out last first.
	for i, j := 0, len(c.certs)-1; i < j; i, j = i+1, j-1 {
		c.certs[i], c.certs[j] = c.certs[j], c.certs[i]
	}
	return c, nil
}

func (c *pkcs12Container) readBags(contents []byte, pw string) error {
	var bags []safeBag
	if _, err := asn1.Unmarshal(contents, &bags); err != nil {
		return fmt.Errorf("cli: PKCS#12 bags: %w", err)
	}
	for _, b := range bags {
		switch {
		case b.ID.Equal(oidCertBag):
			var cb certBag
			if _, err := asn1.Unmarshal(b.Value.Bytes, &cb); err != nil {
				return fmt.Errorf("cli: PKCS#12 certificate bag: %w", err)
			}
			if cb.ID.Equal(oidX509Cert) {
				c.certs = append(c.certs, bytes.Clone(cb.Value))
			}
		case b.ID.Equal(oidKeyBag), b.ID.Equal(oidShroudedBag):
			der := b.Value.Bytes
			if b.ID.Equal(oidShroudedBag) {
				var ep encryptedPKCS8
				if _, err := asn1.Unmarshal(der, &ep); err != nil {
					return fmt.Errorf("cli: PKCS#12 key bag: %w", err)
				}
				plain, err := pbeDecrypt(ep.Algo, ep.Data, pw)
				if err != nil {
					return err
				}
				der = plain
			}
			k, err := parseKeyDER(der, "ANY")
			if err != nil {
				return err
			}
			c.keys = append(c.keys, k)
		}
	}
	return nil
}
