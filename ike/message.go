package ike

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Errors returned by the codec.
var (
	// ErrShort reports a message or payload cut short or with lengths that
	// do not add up.
	ErrShort = errors.New("ike: truncated or inconsistent length")
	// ErrVersion reports a major version other than 2.
	ErrVersion = errors.New("ike: unsupported major version")
	// ErrCritical reports an unknown payload with the critical bit set.
	ErrCritical = errors.New("ike: unsupported critical payload")
	// ErrSyntax reports a payload that is well framed but malformed.
	ErrSyntax = errors.New("ike: invalid syntax")
)

// ExchangeType is the IKE exchange type of a message.
type ExchangeType uint8

// Exchange types (RFC 7296 section 3.1).
const (
	IKESAInit     ExchangeType = 34
	IKEAuth       ExchangeType = 35
	CreateChildSA ExchangeType = 36
	Informational ExchangeType = 37
)

// String returns the exchange name as RFC 7296 spells it.
func (e ExchangeType) String() string {
	switch e {
	case IKESAInit:
		return "IKE_SA_INIT"
	case IKEAuth:
		return "IKE_AUTH"
	case CreateChildSA:
		return "CREATE_CHILD_SA"
	case Informational:
		return "INFORMATIONAL"
	}
	return fmt.Sprintf("EXCHANGE_%d", uint8(e))
}

// Header flags.
const (
	FlagInitiator = 0x08
	FlagVersion   = 0x10
	FlagResponse  = 0x20
)

// HeaderLen is the length of the fixed IKE header.
const HeaderLen = 28

// MaxMessage bounds the size of a message we accept or build.
const MaxMessage = 65535

// Header is the fixed IKE header.
type Header struct {
	SPIi, SPIr uint64
	Next       PayloadType // first payload; filled in by Encode
	Version    uint8       // 0x20 for IKEv2
	Exchange   ExchangeType
	Flags      uint8
	MsgID      uint32
	Length     uint32 // filled in by Encode
}

// IsResponse reports whether the R flag is set.
func (h *Header) IsResponse() bool { return h.Flags&FlagResponse != 0 }

// Message is a decoded IKE message. When the message carries an SK payload,
// it is the last entry of Payloads until the caller decrypts it.
type Message struct {
	Header
	Payloads []Payload
}

// DecodeHeader parses the fixed header and checks the total length.
func DecodeHeader(b []byte) (Header, error) {
	var h Header
	if len(b) < HeaderLen {
		return h, ErrShort
	}
	h.SPIi = binary.BigEndian.Uint64(b[0:])
	h.SPIr = binary.BigEndian.Uint64(b[8:])
	h.Next = PayloadType(b[16])
	h.Version = b[17]
	h.Exchange = ExchangeType(b[18])
	h.Flags = b[19]
	h.MsgID = binary.BigEndian.Uint32(b[20:])
	h.Length = binary.BigEndian.Uint32(b[24:])
	if h.Version>>4 != 2 {
		return h, ErrVersion
	}
	if h.Length != uint32(len(b)) || h.Length > MaxMessage {
		return h, ErrShort
	}
	return h, nil
}

// Decode parses a whole message. An SK payload is left encrypted.
func Decode(b []byte) (*Message, error) {
	h, err := DecodeHeader(b)
	if err != nil {
		return nil, err
	}
	ps, err := decodeChain(h.Next, b[HeaderLen:])
	if err != nil {
		return nil, err
	}
	return &Message{Header: h, Payloads: ps}, nil
}

func appendHeader(b []byte, h *Header) []byte {
	b = binary.BigEndian.AppendUint64(b, h.SPIi)
	b = binary.BigEndian.AppendUint64(b, h.SPIr)
	b = append(b, byte(h.Next), 0x20, byte(h.Exchange), h.Flags)
	b = binary.BigEndian.AppendUint32(b, h.MsgID)
	return binary.BigEndian.AppendUint32(b, h.Length)
}

// Encode builds the wire form of m, which must not hold an SK payload
// (encrypted messages are built by the SA's cipher).
func Encode(m *Message) []byte {
	first, body := encodeChain(m.Payloads)
	h := m.Header
	h.Next = first
	h.Length = uint32(HeaderLen + len(body))
	return append(appendHeader(make([]byte, 0, h.Length), &h), body...)
}

// decodeChain walks a chain of generic payload headers starting with type
// first. An SK payload ends the chain: its body is everything that follows.
func decodeChain(first PayloadType, b []byte) ([]Payload, error) {
	var out []Payload
	next := first
	for next != NoNext {
		if len(b) < 4 {
			return nil, ErrShort
		}
		n := int(binary.BigEndian.Uint16(b[2:]))
		if n < 4 || n > len(b) {
			return nil, ErrShort
		}
		critical := b[1]&0x80 != 0
		t, inner := next, PayloadType(b[0])
		body := b[4:n]
		b = b[n:]
		if t == PayloadSK {
			if len(b) != 0 {
				return nil, fmt.Errorf("%w: data after SK payload", ErrSyntax)
			}
			out = append(out, &Encrypted{Inner: inner, Data: body})
			return out, nil
		}
		p, err := decodePayload(t, critical, body)
		if err != nil {
			return nil, fmt.Errorf("%w (payload %d)", err, t)
		}
		out = append(out, p)
		next = inner
		if len(out) > 256 {
			return nil, fmt.Errorf("%w: too many payloads", ErrSyntax)
		}
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: trailing data", ErrSyntax)
	}
	return out, nil
}

// encodeChain returns the type of the first payload and the chained bodies.
func encodeChain(ps []Payload) (PayloadType, []byte) {
	var b []byte
	for i, p := range ps {
		next := NoNext
		if i+1 < len(ps) {
			next = ps[i+1].Type()
		}
		if sk, ok := p.(*Encrypted); ok {
			next = sk.Inner // an SK payload names its first inner payload
		}
		start := len(b)
		b = append(b, byte(next), 0, 0, 0)
		b = p.appendBody(b)
		binary.BigEndian.PutUint16(b[start+2:], uint16(len(b)-start))
	}
	if len(ps) == 0 {
		return NoNext, b
	}
	return ps[0].Type(), b
}
