package ike

import (
	"crypto/hmac"
	"encoding/binary"
	"hash"
)

// ikeKeys is the key material of an IKE_SA (RFC 7296 section 2.14).
type ikeKeys struct {
	d, ai, ar, ei, er, pi, pr []byte
}

// deriveIKE computes SKEYSEED = prf(Ni | Nr, g^ir) and splits
// prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) into the seven keys.
func deriveIKE(s *suite, ni, nr, shared []byte, spii, spir uint64) ikeKeys {
	h, _ := prfHash(s.prf)
	skeyseed := prf(h, append(append([]byte{}, ni...), nr...), shared)
	return expandIKE(s, skeyseed, ni, nr, spii, spir)
}

// deriveRekeyedIKE computes the keys of an IKE_SA that rekeys another
// (RFC 7296 section 2.18): SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)
// with the old IKE_SA's PRF, then prf+ of the new one over the new SPIs.
func deriveRekeyedIKE(old func() hash.Hash, skd []byte, s *suite, ni, nr, shared []byte,
	spii, spir uint64) ikeKeys {
	return expandIKE(s, prf(old, skd, shared, ni, nr), ni, nr, spii, spir)
}

// expandIKE splits prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) into the keys.
func expandIKE(s *suite, skeyseed, ni, nr []byte, spii, spir uint64) ikeKeys {
	h, _ := prfHash(s.prf)
	seed := append(append([]byte{}, ni...), nr...)
	seed = binary.BigEndian.AppendUint64(seed, spii)
	seed = binary.BigEndian.AppendUint64(seed, spir)
	pl := h().Size()
	il := s.integKey()
	km := prfPlus(h, skeyseed, seed, 3*pl+2*il+2*s.encKey)
	next := func(n int) []byte {
		k := km[:n:n]
		km = km[n:]
		return k
	}
	var k ikeKeys
	k.d, k.ai, k.ar = next(pl), next(il), next(il)
	k.ei, k.er = next(s.encKey), next(s.encKey)
	k.pi, k.pr = next(pl), next(pl)
	return k
}

// childKeys is the key material of a CHILD_SA: initiator-to-responder
// keys first, as KEYMAT orders them (RFC 7296 section 2.17).
type childKeys struct {
	ei, ai, er, ar []byte
}

// deriveChild computes KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr); shared
// is nil for a CHILD_SA without a key exchange of its own.
func deriveChild(ike *suite, skd []byte, esp *suite, shared, ni, nr []byte) childKeys {
	h, _ := prfHash(ike.prf)
	il := esp.integKey()
	seed := append(append(append([]byte{}, shared...), ni...), nr...)
	km := prfPlus(h, skd, seed, 2*esp.encKey+2*il)
	var k childKeys
	k.ei, km = km[:esp.encKey], km[esp.encKey:]
	k.ai, km = km[:il], km[il:]
	k.er, km = km[:esp.encKey], km[esp.encKey:]
	k.ar = km[:il]
	return k
}

const keyPad = "Key Pad for IKEv2"

// pskAuth computes the AUTH value of a pre-shared key over the signed
// octets: message | nonce of the peer | prf(SK_p, ID payload body).
func pskAuth(h func() hash.Hash, psk, skp, message, nonce, idBody []byte) []byte {
	signed := append(append(append([]byte{}, message...), nonce...), prf(h, skp, idBody)...)
	return prf(h, prf(h, psk, []byte(keyPad)), signed)
}

// authEqual compares AUTH values in constant time.
func authEqual(a, b []byte) bool { return hmac.Equal(a, b) }
