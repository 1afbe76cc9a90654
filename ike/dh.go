package ike

import (
	"crypto/ecdh"
	"errors"
	"fmt"
	"io"
	"math/big"
)

// ErrKE reports a key exchange value that is not valid for its group.
var ErrKE = errors.New("ike: invalid key exchange data")

// keyExchange is one side of a Diffie-Hellman exchange.
type keyExchange interface {
	Public() []byte
	Shared(peer []byte) ([]byte, error)
}

// modp2048 is the 2048-bit MODP group of RFC 3526 section 3.
var modp2048, _ = new(big.Int).SetString(
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"+
		"29024E088A67CC74020BBEA63B139B22514A08798E3404DD"+
		"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"+
		"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"+
		"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"+
		"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"+
		"83655D23DCA3AD961C62F356208552BB9ED529077096966D"+
		"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"+
		"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"+
		"DE2BCBF6955817183995497CEA956AE515D2261898FA0510"+
		"15728E5A8AACAA68FFFFFFFFFFFFFFFF", 16)

type modpKE struct {
	p, x, y *big.Int
}

func (m *modpKE) size() int { return (m.p.BitLen() + 7) / 8 }

func (m *modpKE) Public() []byte { return m.y.FillBytes(make([]byte, m.size())) }

func (m *modpKE) Shared(peer []byte) ([]byte, error) {
	if len(peer) != m.size() {
		return nil, ErrKE
	}
	y := new(big.Int).SetBytes(peer)
	// 1 < y < p-1 rules out the trivial subgroup (RFC 6989).
	pm1 := new(big.Int).Sub(m.p, big.NewInt(1))
	if y.Cmp(big.NewInt(1)) <= 0 || y.Cmp(pm1) >= 0 {
		return nil, ErrKE
	}
	z := new(big.Int).Exp(y, m.x, m.p)
	return z.FillBytes(make([]byte, m.size())), nil
}

type ecdhKE struct {
	priv *ecdh.PrivateKey
	nist bool // NIST curves travel as x|y without the 0x04 prefix
}

func (e *ecdhKE) Public() []byte {
	b := e.priv.PublicKey().Bytes()
	if e.nist {
		return b[1:]
	}
	return b
}

func (e *ecdhKE) Shared(peer []byte) ([]byte, error) {
	if e.nist {
		peer = append([]byte{4}, peer...)
	}
	pub, err := e.priv.Curve().NewPublicKey(peer)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKE, err)
	}
	z, err := e.priv.ECDH(pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKE, err)
	}
	return z, nil
}

// newKeyExchange creates a fresh private value in group.
func newKeyExchange(group uint16, rnd io.Reader) (keyExchange, error) {
	var c ecdh.Curve
	switch group {
	case GroupMODP2048:
		// 512 bits of exponent are well above the group's strength.
		buf := make([]byte, 64)
		if _, err := io.ReadFull(rnd, buf); err != nil {
			return nil, fmt.Errorf("ike: dh: %w", err)
		}
		x := new(big.Int).SetBytes(buf)
		return &modpKE{p: modp2048, x: x, y: new(big.Int).Exp(big.NewInt(2), x, modp2048)}, nil
	case GroupECP256:
		c = ecdh.P256()
	case GroupECP384:
		c = ecdh.P384()
	case GroupCurve25519:
		c = ecdh.X25519()
	default:
		return nil, fmt.Errorf("ike: unsupported DH group %d", group)
	}
	priv, err := c.GenerateKey(rnd)
	if err != nil {
		return nil, fmt.Errorf("ike: dh: %w", err)
	}
	return &ecdhKE{priv: priv, nist: group != GroupCurve25519}, nil
}
