package ike

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// Traffic selector types.
const (
	TSIPv4Range uint8 = 7
	TSIPv6Range uint8 = 8
)

// Selector is one traffic selector: inclusive address and port ranges.
type Selector struct {
	Proto              uint8
	StartPort, EndPort uint16
	Start, End         netip.Addr
}

// TS is a TSi or TSr payload.
type TS struct {
	Responder bool // TSr rather than TSi
	Selectors []Selector
}

// Type is TSi or TSr.
func (p *TS) Type() PayloadType {
	if p.Responder {
		return PayloadTSr
	}
	return PayloadTSi
}

func (p *TS) appendBody(b []byte) []byte {
	b = append(b, byte(len(p.Selectors)), 0, 0, 0)
	for _, s := range p.Selectors {
		t, l := TSIPv4Range, 16
		if s.Start.Is6() {
			t, l = TSIPv6Range, 40
		}
		b = append(b, t, s.Proto)
		b = binary.BigEndian.AppendUint16(b, uint16(l))
		b = binary.BigEndian.AppendUint16(b, s.StartPort)
		b = binary.BigEndian.AppendUint16(b, s.EndPort)
		b = append(b, s.Start.AsSlice()...)
		b = append(b, s.End.AsSlice()...)
	}
	return b
}

func decodeTS(responder bool, b []byte) (*TS, error) {
	if len(b) < 4 {
		return nil, ErrShort
	}
	p := &TS{Responder: responder}
	n := int(b[0])
	b = b[4:]
	for i := 0; i < n; i++ {
		if len(b) < 8 {
			return nil, ErrShort
		}
		l := int(binary.BigEndian.Uint16(b[2:]))
		alen := 0
		switch {
		case b[0] == TSIPv4Range && l == 16:
			alen = 4
		case b[0] == TSIPv6Range && l == 40:
			alen = 16
		default:
			return nil, fmt.Errorf("%w: traffic selector type %d", ErrSyntax, b[0])
		}
		if len(b) < l {
			return nil, ErrShort
		}
		p.Selectors = append(p.Selectors, Selector{
			Proto:     b[1],
			StartPort: binary.BigEndian.Uint16(b[4:]),
			EndPort:   binary.BigEndian.Uint16(b[6:]),
			Start:     addrFrom(b[8 : 8+alen]),
			End:       addrFrom(b[8+alen : 8+2*alen]),
		})
		b = b[l:]
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: selector count", ErrSyntax)
	}
	return p, nil
}

// Configuration payload types.
const (
	CfgRequest uint8 = 1
	CfgReply   uint8 = 2
)

// Configuration attribute types used here.
const (
	AttrIP4Address uint16 = 1
	AttrIP6Address uint16 = 8
)

// CPAttr is one configuration attribute.
type CPAttr struct {
	Type  uint16
	Value []byte
}

// CP is a configuration payload.
type CP struct {
	CfgType uint8
	Attrs   []CPAttr
}

// Type returns PayloadCP.
func (*CP) Type() PayloadType { return PayloadCP }

func (p *CP) appendBody(b []byte) []byte {
	b = append(b, p.CfgType, 0, 0, 0)
	for _, a := range p.Attrs {
		b = binary.BigEndian.AppendUint16(b, a.Type&0x7fff)
		b = binary.BigEndian.AppendUint16(b, uint16(len(a.Value)))
		b = append(b, a.Value...)
	}
	return b
}

func decodeCP(b []byte) (*CP, error) {
	if len(b) < 4 {
		return nil, ErrShort
	}
	p := &CP{CfgType: b[0]}
	b = b[4:]
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, ErrShort
		}
		l := int(binary.BigEndian.Uint16(b[2:]))
		if len(b) < 4+l {
			return nil, ErrShort
		}
		p.Attrs = append(p.Attrs, CPAttr{Type: binary.BigEndian.Uint16(b) & 0x7fff,
			Value: b[4 : 4+l]})
		b = b[4+l:]
	}
	return p, nil
}
