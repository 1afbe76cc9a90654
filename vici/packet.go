package vici

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// PacketType is the first byte of every packet.
type PacketType uint8

// Packet types of the VICI protocol.
const (
	CmdRequest      PacketType = 0 // named, with message; client to server
	CmdResponse     PacketType = 1 // with message; server to client
	CmdUnknown      PacketType = 2 // no message; the command does not exist
	EventRegister   PacketType = 3 // named; client to server
	EventUnregister PacketType = 4 // named; client to server
	EventConfirm    PacketType = 5 // no message
	EventUnknown    PacketType = 6 // no message; the event does not exist
	Event           PacketType = 7 // named, with message; server to client
)

var packetNames = [...]string{
	"CMD_REQUEST", "CMD_RESPONSE", "CMD_UNKNOWN", "EVENT_REGISTER",
	"EVENT_UNREGISTER", "EVENT_CONFIRM", "EVENT_UNKNOWN", "EVENT",
}

func (t PacketType) String() string {
	if int(t) < len(packetNames) {
		return packetNames[t]
	}
	return fmt.Sprintf("PacketType(%d)", uint8(t))
}

// Named reports whether packets of this type carry a name.
func (t PacketType) Named() bool {
	return t == CmdRequest || t == EventRegister || t == EventUnregister || t == Event
}

// hasMessage reports whether packets of this type carry a message.
func (t PacketType) hasMessage() bool {
	return t == CmdRequest || t == CmdResponse || t == Event
}

// Packet is one decoded frame payload.
type Packet struct {
	Type    PacketType
	Name    string   // for named types
	Message *Message // for types that carry one; never nil after ParsePacket
}

// MaxFrameSize is the largest frame payload strongSwan accepts or sends.
const MaxFrameSize = 512 * 1024

var (
	// ErrFrameTooLarge is returned for a frame whose length exceeds the limit.
	ErrFrameTooLarge = errors.New("vici: frame exceeds size limit")
	// ErrPacket is wrapped by errors about a packet's header.
	ErrPacket = errors.New("vici: invalid packet")
)

// ReadFrame reads one frame and returns its payload. A length above limit
// fails with ErrFrameTooLarge before anything more is read.
func ReadFrame(r io.Reader, limit int) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if uint64(n) > uint64(limit) {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrFrameTooLarge, n, limit)
	}
	// Grow the buffer as bytes arrive rather than trusting the header: a
	// client that announces a large frame and sends nothing costs little.
	// Each read asks for at most as much as has arrived so far, so the
	// buffer doubles at most.
	buf := make([]byte, 0, min(int(n), frameChunk))
	for len(buf) < int(n) {
		want := min(int(n)-len(buf), max(frameChunk, len(buf)))
		buf = slices.Grow(buf, want)
		got, err := io.ReadFull(r, buf[len(buf):len(buf)+want])
		buf = buf[:len(buf)+got]
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
	return buf, nil
}

// frameChunk is how much of a frame's body ReadFrame reserves first.
const frameChunk = 4 << 10

// AppendFrame appends the encoded packet, with its length header, to b.
func (p *Packet) AppendFrame(b []byte) ([]byte, error) {
	start := len(b)
	b = append(b, 0, 0, 0, 0, byte(p.Type))
	if p.Type.Named() {
		if len(p.Name) > MaxNameLen {
			return b[:start], fmt.Errorf("%w: name of %d bytes", ErrPacket, len(p.Name))
		}
		b = append(b, byte(len(p.Name)))
		b = append(b, p.Name...)
	}
	if p.Type.hasMessage() {
		var err error
		if b, err = p.Message.AppendEncoded(b); err != nil {
			return b[:start], err
		}
	}
	binary.BigEndian.PutUint32(b[start:], uint32(len(b)-start-4))
	return b, nil
}

// ParsePacket decodes a frame payload. For named packets it checks that the
// name fits the frame but not that it is printable: the server answers an
// unprintable name as an unknown one.
func ParsePacket(payload []byte, lim DecodeLimits) (*Packet, error) {
	if len(payload) == 0 {
		return nil, fmt.Errorf("%w: empty frame", ErrPacket)
	}
	p := &Packet{Type: PacketType(payload[0])}
	if p.Type > Event {
		return nil, fmt.Errorf("%w: unknown type %d", ErrPacket, payload[0])
	}
	rest := payload[1:]
	if p.Type.Named() {
		if len(rest) == 0 || int(rest[0]) > len(rest)-1 {
			return nil, fmt.Errorf("%w: %s name exceeds frame", ErrPacket, p.Type)
		}
		n := int(rest[0])
		p.Name = string(rest[1 : 1+n])
		rest = rest[1+n:]
	}
	if !p.Type.hasMessage() {
		return p, nil // strongSwan ignores anything after the name
	}
	m, err := DecodeWithLimits(rest, lim)
	if err != nil {
		return nil, err
	}
	p.Message = m
	return p, nil
}

// Printable reports whether s consists of printable ASCII only, the rule
// strongSwan applies to command and event names and to string arguments.
func Printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
