package ike

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// PayloadType identifies an IKEv2 payload.
type PayloadType uint8

// Payload types (RFC 7296 section 3.2).
const (
	NoNext         PayloadType = 0
	PayloadSA      PayloadType = 33
	PayloadKE      PayloadType = 34
	PayloadIDi     PayloadType = 35
	PayloadIDr     PayloadType = 36
	PayloadCERT    PayloadType = 37
	PayloadCERTREQ PayloadType = 38
	PayloadAUTH    PayloadType = 39
	PayloadNonce   PayloadType = 40
	PayloadNotify  PayloadType = 41
	PayloadDelete  PayloadType = 42
	PayloadVendor  PayloadType = 43
	PayloadTSi     PayloadType = 44
	PayloadTSr     PayloadType = 45
	PayloadSK      PayloadType = 46
	PayloadCP      PayloadType = 47
	PayloadEAP     PayloadType = 48
)

// Payload is one decoded payload; appendBody writes it without the generic
// header.
type Payload interface {
	Type() PayloadType
	appendBody(b []byte) []byte
}

// KE is a key exchange payload.
type KE struct {
	Group uint16
	Data  []byte
}

// Nonce is an Ni or Nr payload.
type Nonce struct{ Data []byte }

// ID is an IDi or IDr payload.
type ID struct {
	Responder bool // IDr rather than IDi
	IDType    uint8
	Data      []byte
}

// Auth is an AUTH payload.
type Auth struct {
	Method uint8
	Data   []byte
}

// Authentication methods.
const (
	AuthPSK uint8 = 2
)

// Notify is a notification payload.
type Notify struct {
	Protocol uint8
	SPI      []byte
	NType    NotifyType
	Data     []byte
}

// Delete is a delete payload; SPIs are empty for the IKE_SA.
type Delete struct {
	Protocol uint8
	SPISize  uint8
	SPIs     [][]byte
}

// Vendor is a vendor ID payload.
type Vendor struct{ Data []byte }

// Encrypted is an SK payload: IV, ciphertext and ICV, and the type of the
// first payload inside.
type Encrypted struct {
	Inner PayloadType
	Data  []byte
}

// Unknown is a payload this package does not interpret (CERT, CERTREQ,
// EAP and types unknown to it) when it is not marked critical.
type Unknown struct {
	T    PayloadType
	Data []byte
}

// Protocol IDs of proposals, notifies and deletes.
const (
	ProtoIKE uint8 = 1
	ProtoAH  uint8 = 2
	ProtoESP uint8 = 3
)

// Type returns PayloadKE.
func (*KE) Type() PayloadType { return PayloadKE }

// Type returns PayloadNonce.
func (*Nonce) Type() PayloadType { return PayloadNonce }

// Type returns PayloadAUTH.
func (*Auth) Type() PayloadType { return PayloadAUTH }

// Type returns PayloadNotify.
func (*Notify) Type() PayloadType { return PayloadNotify }

// Type returns PayloadDelete.
func (*Delete) Type() PayloadType { return PayloadDelete }

// Type returns PayloadVendor.
func (*Vendor) Type() PayloadType { return PayloadVendor }

// Type returns PayloadSK.
func (*Encrypted) Type() PayloadType { return PayloadSK }

// Type returns the payload type as received.
func (u *Unknown) Type() PayloadType { return u.T }

// Type is IDi or IDr.
func (p *ID) Type() PayloadType {
	if p.Responder {
		return PayloadIDr
	}
	return PayloadIDi
}

func (p *KE) appendBody(b []byte) []byte {
	b = binary.BigEndian.AppendUint16(b, p.Group)
	return append(append(b, 0, 0), p.Data...)
}
func (p *Nonce) appendBody(b []byte) []byte { return append(b, p.Data...) }
func (p *ID) appendBody(b []byte) []byte {
	return append(append(b, p.IDType, 0, 0, 0), p.Data...)
}

func (p *Auth) appendBody(b []byte) []byte {
	return append(append(b, p.Method, 0, 0, 0), p.Data...)
}

func (p *Vendor) appendBody(b []byte) []byte    { return append(b, p.Data...) }
func (p *Encrypted) appendBody(b []byte) []byte { return append(b, p.Data...) }
func (p *Unknown) appendBody(b []byte) []byte   { return append(b, p.Data...) }

func (p *Notify) appendBody(b []byte) []byte {
	b = append(b, p.Protocol, byte(len(p.SPI)))
	b = binary.BigEndian.AppendUint16(b, uint16(p.NType))
	return append(append(b, p.SPI...), p.Data...)
}

func (p *Delete) appendBody(b []byte) []byte {
	b = append(b, p.Protocol, p.SPISize)
	b = binary.BigEndian.AppendUint16(b, uint16(len(p.SPIs)))
	for _, s := range p.SPIs {
		b = append(b, s...)
	}
	return b
}

func decodePayload(t PayloadType, critical bool, b []byte) (Payload, error) {
	switch t {
	case PayloadSA:
		return decodeSA(b)
	case PayloadKE:
		if len(b) < 4 {
			return nil, ErrShort
		}
		return &KE{Group: binary.BigEndian.Uint16(b), Data: b[4:]}, nil
	case PayloadNonce:
		if len(b) < 16 || len(b) > 256 {
			return nil, fmt.Errorf("%w: nonce of %d bytes", ErrSyntax, len(b))
		}
		return &Nonce{Data: b}, nil
	case PayloadIDi, PayloadIDr:
		if len(b) < 4 {
			return nil, ErrShort
		}
		return &ID{Responder: t == PayloadIDr, IDType: b[0], Data: b[4:]}, nil
	case PayloadAUTH:
		if len(b) < 4 {
			return nil, ErrShort
		}
		return &Auth{Method: b[0], Data: b[4:]}, nil
	case PayloadNotify:
		return decodeNotify(b)
	case PayloadDelete:
		return decodeDelete(b)
	case PayloadVendor:
		return &Vendor{Data: b}, nil
	case PayloadTSi, PayloadTSr:
		return decodeTS(t == PayloadTSr, b)
	case PayloadCP:
		return decodeCP(b)
	case PayloadCERT, PayloadCERTREQ, PayloadEAP:
		return &Unknown{T: t, Data: b}, nil
	}
	if critical {
		return nil, ErrCritical
	}
	return &Unknown{T: t, Data: b}, nil
}

func decodeNotify(b []byte) (*Notify, error) {
	if len(b) < 4 {
		return nil, ErrShort
	}
	n := int(b[1])
	if len(b) < 4+n {
		return nil, ErrShort
	}
	return &Notify{Protocol: b[0], NType: NotifyType(binary.BigEndian.Uint16(b[2:])),
		SPI: b[4 : 4+n], Data: b[4+n:]}, nil
}

func decodeDelete(b []byte) (*Delete, error) {
	if len(b) < 4 {
		return nil, ErrShort
	}
	d := &Delete{Protocol: b[0], SPISize: b[1]}
	n := int(binary.BigEndian.Uint16(b[2:]))
	rest := b[4:]
	if len(rest) != n*int(d.SPISize) || (d.SPISize == 0 && n != 0) {
		return nil, ErrShort
	}
	for i := 0; i < n; i++ {
		d.SPIs = append(d.SPIs, rest[i*int(d.SPISize):(i+1)*int(d.SPISize)])
	}
	return d, nil
}

// addrFrom converts 4 or 16 bytes to an address.
func addrFrom(b []byte) netip.Addr {
	a, _ := netip.AddrFromSlice(b)
	return a
}
