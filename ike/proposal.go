package ike

import (
	"errors"
	"fmt"
	"strings"
)

// ErrProposal reports a proposal string this package cannot parse or use.
var ErrProposal = errors.New("ike: invalid proposal")

// ErrUnsupportedAuth reports a connection whose authentication rounds this
// package cannot serve (anything but one PSK round on each side).
var ErrUnsupportedAuth = errors.New("ike: unsupported authentication")

type keyword struct {
	t      TransformType
	id     uint16
	keyLen uint16
	prf    uint16 // PRF implied by an integrity keyword in IKE proposals
}

// keywords maps strongSwan's algorithm keywords to transforms.
var keywords = map[string]keyword{
	"aes":          {TransEncr, EncrAESCBC, 128, 0},
	"aes128":       {TransEncr, EncrAESCBC, 128, 0},
	"aes192":       {TransEncr, EncrAESCBC, 192, 0},
	"aes256":       {TransEncr, EncrAESCBC, 256, 0},
	"aes128gcm16":  {TransEncr, EncrAESGCM16, 128, 0},
	"aes128gcm128": {TransEncr, EncrAESGCM16, 128, 0},
	"aes256gcm16":  {TransEncr, EncrAESGCM16, 256, 0},
	"aes256gcm128": {TransEncr, EncrAESGCM16, 256, 0},
	"sha256":       {TransInteg, IntegSHA256128, 0, PRFHMACSHA256},
	"sha2_256":     {TransInteg, IntegSHA256128, 0, PRFHMACSHA256},
	"sha384":       {TransInteg, IntegSHA384192, 0, PRFHMACSHA384},
	"sha2_384":     {TransInteg, IntegSHA384192, 0, PRFHMACSHA384},
	"sha512":       {TransInteg, IntegSHA512256, 0, PRFHMACSHA512},
	"sha2_512":     {TransInteg, IntegSHA512256, 0, PRFHMACSHA512},
	"prfsha256":    {TransPRF, PRFHMACSHA256, 0, 0},
	"prfsha384":    {TransPRF, PRFHMACSHA384, 0, 0},
	"prfsha512":    {TransPRF, PRFHMACSHA512, 0, 0},
	"modp2048":     {TransDH, GroupMODP2048, 0, 0},
	"ecp256":       {TransDH, GroupECP256, 0, 0},
	"ecp384":       {TransDH, GroupECP384, 0, 0},
	"x25519":       {TransDH, GroupCurve25519, 0, 0},
	"curve25519":   {TransDH, GroupCurve25519, 0, 0},
	"noesn":        {TransESN, 0, 0, 0},
	"esn":          {TransESN, 1, 0, 0},
}

// Default proposals: what `default` expands to, restricted to the
// algorithms implemented here.
var (
	defaultIKE = []string{
		"aes128-aes192-aes256-sha256-sha384-sha512-x25519-ecp256-ecp384-modp2048",
		"aes128gcm16-aes256gcm16-prfsha256-prfsha384-prfsha512-x25519-ecp256-ecp384-modp2048",
	}
	defaultESP = []string{"aes128gcm16-aes256gcm16", "aes128-aes192-aes256-sha256-sha384-sha512"}
)

// ParseProposals parses proposal strings in strongSwan's keyword syntax for
// protocol (ProtoIKE or ProtoESP). An empty list and the word `default`
// stand for the default proposals.
func ParseProposals(protocol uint8, list []string) ([]Proposal, error) {
	if len(list) == 0 {
		list = []string{"default"}
	}
	var out []Proposal
	for _, s := range list {
		if s == "default" {
			d := defaultIKE
			if protocol != ProtoIKE {
				d = defaultESP
			}
			ps, err := ParseProposals(protocol, d)
			if err != nil {
				return nil, err
			}
			out = append(out, ps...)
			continue
		}
		p, err := parseProposal(protocol, s)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func parseProposal(protocol uint8, s string) (Proposal, error) {
	p := Proposal{Protocol: protocol}
	var prfs []Transform
	has := map[TransformType]bool{}
	seen := map[Transform]bool{}
	add := func(t Transform) {
		if !seen[t] {
			seen[t] = true
			has[t.Type] = true
			p.Transforms = append(p.Transforms, t)
		}
	}
	for _, w := range strings.Split(strings.ToLower(s), "-") {
		k, ok := keywords[w]
		if !ok {
			return p, fmt.Errorf("%w: unknown algorithm %q in %q", ErrProposal, w, s)
		}
		t := Transform{Type: k.t, ID: k.id}
		if k.t == TransEncr {
			t.KeyLen = k.keyLen
		}
		if k.t == TransPRF && protocol != ProtoIKE {
			return p, fmt.Errorf("%w: PRF in an ESP proposal %q", ErrProposal, s)
		}
		add(t)
		if k.prf != 0 {
			prfs = append(prfs, Transform{Type: TransPRF, ID: k.prf})
		}
	}
	aead := false
	for _, t := range p.Transforms {
		if t.Type == TransEncr && t.ID == EncrAESGCM16 {
			aead = true
		} else if t.Type == TransEncr && aead {
			return p, fmt.Errorf("%w: AEAD and classic ciphers mixed in %q", ErrProposal, s)
		}
	}
	if aead && has[TransInteg] {
		return p, fmt.Errorf("%w: integrity algorithm with AEAD in %q", ErrProposal, s)
	}
	if !has[TransEncr] || (!aead && !has[TransInteg]) {
		return p, fmt.Errorf("%w: %q lacks encryption or integrity", ErrProposal, s)
	}
	if protocol == ProtoIKE {
		if !has[TransPRF] {
			// Without explicit PRFs, IKE uses those of the integrity algorithms.
			for _, t := range prfs {
				add(t)
			}
		}
		if !has[TransPRF] || !has[TransDH] {
			return p, fmt.Errorf("%w: %q lacks a PRF or DH group", ErrProposal, s)
		}
	}
	return p, nil
}

// Select picks the first of ours (configured order) that one of the peer's
// proposals matches, and returns the peer's proposal reduced to our choice
// of one transform per type. With noDH, DH transforms are left out of the
// comparison (a CHILD_SA made in IKE_AUTH has no key exchange of its own).
func Select(ours, theirs []Proposal, noDH bool) (Proposal, bool) {
	return selectProposal(ours, theirs, noDH, 0)
}

// SelectKE is Select for IKE_SA_INIT: where a matching proposal allows the
// group the peer already sent a KE payload for, that group is chosen, which
// saves an INVALID_KE_PAYLOAD round trip.
func SelectKE(ours, theirs []Proposal, keGroup uint16) (Proposal, bool) {
	return selectProposal(ours, theirs, false, keGroup)
}

func selectProposal(ours, theirs []Proposal, noDH bool, keGroup uint16) (Proposal, bool) {
	for _, o := range ours {
		for _, t := range theirs {
			if o.Protocol != t.Protocol {
				continue
			}
			if sel, ok := match(o, t, noDH, keGroup); ok {
				return sel, true
			}
		}
	}
	return Proposal{}, false
}

func match(ours, theirs Proposal, noDH bool, keGroup uint16) (Proposal, bool) {
	sel := Proposal{Num: theirs.Num, Protocol: theirs.Protocol, SPI: theirs.SPI}
	for _, tt := range []TransformType{TransEncr, TransPRF, TransInteg, TransDH, TransESN} {
		if tt == TransDH && noDH {
			continue
		}
		var mine, peer []Transform
		for _, t := range ours.Transforms {
			if t.Type == tt {
				mine = append(mine, t)
			}
		}
		for _, t := range theirs.Transforms {
			if t.Type == tt && !t.Bad {
				peer = append(peer, t)
			}
		}
		if tt == TransESN && len(mine) == 0 {
			mine = []Transform{{Type: TransESN, ID: 0}}
			if len(peer) == 0 {
				continue
			}
		}
		if len(mine) == 0 && len(peer) == 0 {
			continue
		}
		chosen, ok := pick(mine, peer)
		if tt == TransDH && keGroup != 0 {
			if c, ok2 := pick([]Transform{{Type: TransDH, ID: keGroup}}, mine); ok2 {
				if c, ok2 = pick([]Transform{c}, peer); ok2 {
					chosen, ok = c, true
				}
			}
		}
		if !ok {
			return sel, false
		}
		sel.Transforms = append(sel.Transforms, chosen)
	}
	return sel, true
}

func pick(mine, peer []Transform) (Transform, bool) {
	for _, m := range mine {
		for _, p := range peer {
			if m.ID == p.ID && m.KeyLen == p.KeyLen {
				return p, true
			}
		}
	}
	return Transform{}, false
}

// suite is a selected proposal reduced to the algorithms' parameters.
type suite struct {
	encr   uint16
	encKey int // bytes, plus 4 bytes of salt for AEAD
	integ  uint16
	prf    uint16
	dh     uint16
	esn    bool
}

func (s *suite) aead() bool { return s.encr == EncrAESGCM16 }

// integKey returns the integrity key length (0 for AEAD).
func (s *suite) integKey() int {
	_, n, _, _ := integParams(s.integ)
	return n
}

func suiteOf(p Proposal) (*suite, error) {
	s := &suite{}
	for _, t := range p.Transforms {
		switch t.Type {
		case TransEncr:
			s.encr, s.encKey = t.ID, int(t.KeyLen)/8
			if t.ID == EncrAESGCM16 {
				s.encKey += 4
			}
		case TransInteg:
			s.integ = t.ID
		case TransPRF:
			s.prf = t.ID
		case TransDH:
			s.dh = t.ID
		case TransESN:
			s.esn = t.ID == 1
		}
	}
	if s.encKey == 0 || (!s.aead() && s.integKey() == 0) {
		return nil, fmt.Errorf("%w: unusable selection", ErrProposal)
	}
	return s, nil
}
