package cli

import (
	"crypto/sha1"
	"encoding/asn1"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// keyInfo is what swanctl shows of a public key.
type keyInfo struct {
	typ     string // RSA, ECDSA, ED25519, ED448
	bits    int
	keyid   []byte // SHA-1 of the SubjectPublicKeyInfo
	subjkey []byte // SHA-1 of the key bits (RFC 5280's key identifier)
}

// curveBits are the sizes of the named curves strongSwan knows.
var curveBits = map[string]int{
	"1.2.840.10045.3.1.7": 256, "1.3.132.0.34": 384, "1.3.132.0.35": 521,
	"1.2.840.10045.3.1.1": 192, "1.3.132.0.33": 224,
}

// parseKey reads a DER SubjectPublicKeyInfo.
func parseKey(spki []byte) (keyInfo, bool) {
	var ki struct {
		Alg struct {
			OID    asn1.ObjectIdentifier
			Params asn1.RawValue `asn1:"optional"`
		}
		Key asn1.BitString
	}
	if rest, err := asn1.Unmarshal(spki, &ki); err != nil || len(rest) > 0 {
		return keyInfo{}, false
	}
	k := keyInfo{}
	switch {
	case ki.Alg.OID.Equal(oidRSA):
		var pub struct{ N, E *big.Int }
		if _, err := asn1.Unmarshal(ki.Key.Bytes, &pub); err != nil {
			return keyInfo{}, false
		}
		k.typ, k.bits = "RSA", pub.N.BitLen()
	case ki.Alg.OID.Equal(oidEC):
		var curve asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(ki.Alg.Params.FullBytes, &curve); err != nil {
			return keyInfo{}, false
		}
		bits, ok := curveBits[curve.String()]
		if !ok {
			return keyInfo{}, false
		}
		k.typ, k.bits = "ECDSA", bits
	case ki.Alg.OID.Equal(oidEd25519):
		k.typ, k.bits = "ED25519", 256
	case ki.Alg.OID.Equal(oidEd448):
		k.typ, k.bits = "ED448", 456
	default:
		return keyInfo{}, false
	}
	id := sha1.Sum(spki)
	sk := sha1.Sum(ki.Key.Bytes)
	k.keyid, k.subjkey = id[:], sk[:]
	return k, true
}

// key prints the lines every certificate and raw key ends with.
func (l *certLister) key(k keyInfo, privkey bool) {
	has := ""
	if privkey {
		has = ", has private key"
	}
	fmt.Fprintf(l.out, "  pubkey:    %s %d bits%s\n", k.typ, k.bits, has)
	fmt.Fprintf(l.out, "  keyid:     %s\n", hexColons(k.keyid))
	fmt.Fprintf(l.out, "  subjkey:   %s\n", hexColons(k.subjkey))
}

// hexColons prints bytes as strongSwan's %#B does: "0a:ff:...".
func hexColons(b []byte) string {
	var s strings.Builder
	for i, c := range b {
		if i > 0 {
			s.WriteByte(':')
		}
		fmt.Fprintf(&s, "%02x", c)
	}
	return s.String()
}

// serialHex prints a serial number without its leading zero bytes.
func serialHex(b []byte) string {
	for len(b) > 1 && b[0] == 0 {
		b = b[1:]
	}
	return hexColons(b)
}

// stamp formats a time as swanctl does, in local time or, with --utc, in
// UTC marked as such.
func (l *certLister) stamp(t time.Time) string {
	if l.utc {
		return t.UTC().Format("Jan 02 15:04:05 UTC 2006")
	}
	return t.Local().Format("Jan 02 15:04:05 2006")
}

// delta is strongSwan's coarse duration: days above two days, hours above
// two hours, minutes above two minutes, else seconds.
func delta(a, b time.Time) string {
	d := int64(a.Sub(b) / time.Second)
	if d < 0 {
		d = -d
	}
	n, unit := d, "second"
	switch {
	case d > 2*86400:
		n, unit = d/86400, "day"
	case d > 2*3600:
		n, unit = d/3600, "hour"
	case d > 120:
		n, unit = d/60, "minute"
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}

// validity prints the two validity lines of a certificate.
func (l *certLister) validity(nb, na time.Time) {
	state := "ok"
	if l.now.Before(nb) {
		state = "not valid yet (valid in " + delta(nb, l.now) + ")"
	}
	fmt.Fprintf(l.out, "  validity:  not before %s, %s\n", l.stamp(nb), state)
	l.expiry("             not after  ", na)
}

// expiry prints an end time with "ok (expires in ...)" or "expired".
func (l *certLister) expiry(prefix string, t time.Time) {
	if l.now.After(t) {
		fmt.Fprintf(l.out, "%s%s, expired (%s ago)\n", prefix, l.stamp(t), delta(l.now, t))
		return
	}
	fmt.Fprintf(l.out, "%s%s, ok (expires in %s)\n", prefix, l.stamp(t), delta(t, l.now))
}
