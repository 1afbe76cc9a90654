package ike

import (
	"encoding/binary"
	"fmt"
)

// TransformType is the kind of algorithm a transform names.
type TransformType uint8

// Transform types (RFC 7296 section 3.3.2).
const (
	TransEncr  TransformType = 1
	TransPRF   TransformType = 2
	TransInteg TransformType = 3
	TransDH    TransformType = 4
	TransESN   TransformType = 5
)

// Transform is one algorithm of a proposal. KeyLen is 0 when the transform
// has no key length attribute. Bad marks a transform with attributes this
// package does not know; it never matches.
type Transform struct {
	Type   TransformType
	ID     uint16
	KeyLen uint16
	Bad    bool
}

// Proposal is one proposal of an SA payload.
type Proposal struct {
	Num        uint8
	Protocol   uint8
	SPI        []byte
	Transforms []Transform
}

// SA is a security association payload.
type SA struct{ Proposals []Proposal }

// Type returns PayloadSA.
func (*SA) Type() PayloadType { return PayloadSA }

const attrKeyLength = 14

func (p *SA) appendBody(b []byte) []byte {
	for i, pr := range p.Proposals {
		start := len(b)
		last := byte(0)
		if i+1 < len(p.Proposals) {
			last = 2
		}
		b = append(b, last, 0, 0, 0, pr.Num, pr.Protocol, byte(len(pr.SPI)),
			byte(len(pr.Transforms)))
		b = append(b, pr.SPI...)
		for j, t := range pr.Transforms {
			ts := len(b)
			more := byte(0)
			if j+1 < len(pr.Transforms) {
				more = 3
			}
			b = append(b, more, 0, 0, 0, byte(t.Type), 0)
			b = binary.BigEndian.AppendUint16(b, t.ID)
			if t.KeyLen != 0 {
				b = binary.BigEndian.AppendUint16(b, 0x8000|attrKeyLength)
				b = binary.BigEndian.AppendUint16(b, t.KeyLen)
			}
			binary.BigEndian.PutUint16(b[ts+2:], uint16(len(b)-ts))
		}
		binary.BigEndian.PutUint16(b[start+2:], uint16(len(b)-start))
	}
	return b
}

func decodeSA(b []byte) (*SA, error) {
	sa := &SA{}
	for more := true; more; {
		if len(b) < 8 {
			return nil, ErrShort
		}
		n := int(binary.BigEndian.Uint16(b[2:]))
		if n < 8 || n > len(b) {
			return nil, ErrShort
		}
		more = b[0] == 2
		if !more && b[0] != 0 {
			return nil, fmt.Errorf("%w: proposal substructure", ErrSyntax)
		}
		pr := Proposal{Num: b[4], Protocol: b[5]}
		spiLen, count := int(b[6]), int(b[7])
		body := b[8:n]
		b = b[n:]
		if len(body) < spiLen {
			return nil, ErrShort
		}
		pr.SPI, body = body[:spiLen], body[spiLen:]
		for i := 0; i < count; i++ {
			t, rest, err := decodeTransform(body, i+1 == count)
			if err != nil {
				return nil, err
			}
			pr.Transforms, body = append(pr.Transforms, t), rest
		}
		if len(body) != 0 {
			return nil, fmt.Errorf("%w: transform count", ErrSyntax)
		}
		sa.Proposals = append(sa.Proposals, pr)
		if len(sa.Proposals) > 64 {
			return nil, fmt.Errorf("%w: too many proposals", ErrSyntax)
		}
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: data after last proposal", ErrSyntax)
	}
	return sa, nil
}

func decodeTransform(b []byte, last bool) (Transform, []byte, error) {
	var t Transform
	if len(b) < 8 {
		return t, nil, ErrShort
	}
	n := int(binary.BigEndian.Uint16(b[2:]))
	if n < 8 || n > len(b) {
		return t, nil, ErrShort
	}
	if (b[0] == 0) != last || (b[0] != 0 && b[0] != 3) {
		return t, nil, fmt.Errorf("%w: transform substructure", ErrSyntax)
	}
	t.Type = TransformType(b[4])
	t.ID = binary.BigEndian.Uint16(b[6:])
	attrs := b[8:n]
	for len(attrs) > 0 {
		if len(attrs) < 4 {
			return t, nil, ErrShort
		}
		at := binary.BigEndian.Uint16(attrs)
		if at&0x8000 != 0 { // TV format: the value is the next two bytes
			if at&0x7fff == attrKeyLength {
				t.KeyLen = binary.BigEndian.Uint16(attrs[2:])
			} else {
				t.Bad = true
			}
			attrs = attrs[4:]
			continue
		}
		l := int(binary.BigEndian.Uint16(attrs[2:]))
		if len(attrs) < 4+l {
			return t, nil, ErrShort
		}
		t.Bad = true
		attrs = attrs[4+l:]
	}
	return t, b[n:], nil
}
