package cli

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/charond/charond/vici"
)

// VICI packet types.
const (
	pktCmdRequest    = 0
	pktCmdResponse   = 1
	pktCmdUnknown    = 2
	pktEventRegister = 3
	pktEventUnreg    = 4
	pktEventConfirm  = 5
	pktEventUnknown  = 6
	pktEvent         = 7
)

// maxFrame is the largest payload swanctl reads. charond sends replies
// beyond VICI's usual 512 KiB when its max_reply_size is raised (get-pools
// with 100,000 leases is about 7 MB), and govici reads any size too.
const maxFrame = 64 << 20

// errUnknownEvent is the daemon's EVENT_UNKNOWN reply to a registration.
var errUnknownEvent = fmt.Errorf("cli: unknown event: %w", syscall.ENOENT)

// wire reads and writes VICI frames itself. Streamed listings use it so
// that every event is handed over in order however many there are.
type wire struct {
	conn net.Conn
	r    *bufio.Reader
	out  []byte // reused for every request
}

func newWire(conn net.Conn) *wire {
	return &wire{conn: conn, r: bufio.NewReaderSize(conn, 64*1024)}
}

func named(typ byte) bool {
	return typ == pktCmdRequest || typ == pktEventRegister ||
		typ == pktEventUnreg || typ == pktEvent
}

// appendFrame appends one packet as a frame to b; on failure b comes back
// as it was.
func appendFrame(b []byte, typ byte, name string, m *vici.Message) ([]byte, error) {
	start := len(b)
	b = append(b, 0, 0, 0, 0, typ)
	if named(typ) {
		b = append(b, byte(len(name)))
		b = append(b, name...)
	}
	b, err := m.AppendEncoded(b)
	if errors.Is(err, vici.ErrEncoding) {
		return b[:start], newBuilderError(m)
	}
	if err != nil {
		return b[:start], fmt.Errorf("cli: encoding %s: %w", name, err)
	}
	binary.BigEndian.PutUint32(b[start:], uint32(len(b)-start-4))
	return b, nil
}

func (w *wire) send(typ byte, name string, m *vici.Message) error {
	b, err := appendFrame(w.out[:0], typ, name, m)
	w.out = b
	if err != nil {
		return err
	}
	if _, err := w.conn.Write(b); err != nil {
		return fmt.Errorf("cli: sending %s: %w", name, err)
	}
	return nil
}

// packetError is a packet read whole that is not a usable reply: the
// connection is still in step, so the next reply answers the next request.
type packetError struct{ err error }

func (e *packetError) Error() string { return e.err.Error() }
func (e *packetError) Unwrap() error { return e.err }

// inStep reports whether the connection can go on after a call failed
// with err: the daemon answered, if not as asked.
func inStep(err error) bool {
	var pe *packetError
	return errors.As(err, &pe) || errors.Is(err, errUnknownCommand)
}

// packet is one received packet.
type packet struct {
	typ  byte
	name string
	msg  *vici.Message
}

func (w *wire) recv() (packet, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(w.r, hdr[:]); err != nil {
		return packet{}, fmt.Errorf("cli: reading frame: %w", err)
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n == 0 {
		return packet{}, &packetError{fmt.Errorf("cli: frame of 0 bytes: %w", syscall.EBADMSG)}
	}
	if n > maxFrame {
		return packet{}, fmt.Errorf("cli: frame of %d bytes: %w", n, syscall.EBADMSG)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(w.r, buf); err != nil {
		return packet{}, fmt.Errorf("cli: reading frame: %w", err)
	}
	p := packet{typ: buf[0]}
	body := buf[1:]
	if named(p.typ) {
		if len(body) < 1 || len(body) < 1+int(body[0]) {
			return packet{}, &packetError{fmt.Errorf("cli: truncated packet name: %w",
				syscall.EBADMSG)}
		}
		p.name = string(body[1 : 1+int(body[0])])
		body = body[1+int(body[0]):]
	}
	m, err := vici.Decode(body)
	if err != nil {
		return packet{}, &packetError{fmt.Errorf("cli: decoding %s: %w", p.name, err)}
	}
	p.msg = m
	return p, nil
}

// call sends one command and waits for its reply as libvici does: events
// are skipped, CMD_UNKNOWN and EVENT_UNKNOWN fail with ENOENT, and
// EVENT_CONFIRM is an empty reply; as in govici, repeated names in the
// reply keep the first place and the last value.
func (w *wire) call(cmd string, req *vici.Message) (*vici.Message, error) {
	if err := w.conn.SetDeadline(time.Now().Add(callTimeout)); err != nil {
		return nil, fmt.Errorf("cli: %s: %w", cmd, err)
	}
	if err := w.send(pktCmdRequest, cmd, req); err != nil {
		return nil, err
	}
	return w.reply()
}

// reply reads up to the reply of the command sent first of those waiting.
func (w *wire) reply() (*vici.Message, error) {
	for {
		p, err := w.recv()
		if err != nil {
			return nil, err
		}
		switch p.typ {
		case pktCmdResponse:
			return lastWins(p.msg), nil
		case pktCmdUnknown, pktEventUnknown:
			return nil, errUnknownCommand
		case pktEventConfirm:
			// libvici takes it for an empty reply, and so does swanctl
			return vici.NewMessage(), nil
		}
	}
}

// noDeadline lifts the deadline an earlier call set: listings and monitors
// may take as long as they take.
func (w *wire) noDeadline() error {
	if err := w.conn.SetDeadline(time.Time{}); err != nil {
		return fmt.Errorf("cli: %w", err)
	}
	return nil
}

// lastWins gives each name one entry, at its first place with its last
// value, as govici's decoder does; m is returned as is when no name repeats.
func lastWins(m *vici.Message) *vici.Message {
	es := m.Entries() // m is freshly decoded: its sections may be replaced
	var seen map[string]bool
	if len(es) > 8 {
		seen = make(map[string]bool, len(es))
	}
	dup := false
	for i := range es {
		if es[i].Kind == vici.KindSection {
			es[i].Section = lastWins(es[i].Section)
		}
		if seen != nil {
			dup = dup || seen[es[i].Name]
			seen[es[i].Name] = true
			continue
		}
		for j := 0; j < i && !dup; j++ {
			dup = es[j].Name == es[i].Name
		}
	}
	if !dup {
		return m
	}
	out := vici.NewMessage()
	for _, e := range es {
		switch e.Kind {
		case vici.KindValue:
			out.Set(e.Name, e.Value)
		case vici.KindList:
			out.SetList(e.Name, e.Items)
		case vici.KindSection:
			out.SetSection(e.Name, e.Section)
		}
	}
	return out
}

// register sends an EVENT_REGISTER or EVENT_UNREGISTER and waits for the
// confirmation, passing any events that arrive meanwhile to each.
func (w *wire) register(typ byte, event string, each func(packet)) error {
	if err := w.send(typ, event, vici.NewMessage()); err != nil {
		return err
	}
	for {
		p, err := w.recv()
		if err != nil {
			return err
		}
		switch p.typ {
		case pktEvent:
			if each != nil {
				each(p)
			}
		case pktEventConfirm:
			return nil
		case pktEventUnknown:
			return errUnknownEvent
		default:
			return fmt.Errorf("cli: unexpected packet type %d: %w", p.typ, syscall.EBADMSG)
		}
	}
}

func (w *wire) stream(cmd, event string, req *vici.Message,
	each func(*vici.Message)) (*vici.Message, error) {
	pass := func(p packet) {
		if p.name == event {
			each(p.msg)
		}
	}
	if err := w.noDeadline(); err != nil {
		return nil, err
	}
	if err := w.register(pktEventRegister, event, pass); err != nil {
		return nil, err
	}
	if err := w.send(pktCmdRequest, cmd, req); err != nil {
		return nil, err
	}
	var reply *vici.Message
	for reply == nil {
		p, err := w.recv()
		if err != nil {
			return nil, err
		}
		switch p.typ {
		case pktEvent:
			pass(p)
		case pktCmdResponse:
			reply = p.msg
		case pktCmdUnknown:
			return nil, errUnknownCommand
		default:
			return nil, fmt.Errorf("cli: unexpected packet type %d: %w", p.typ, syscall.EBADMSG)
		}
	}
	// The listing is complete; a failed unregistration changes nothing.
	_ = w.register(pktEventUnreg, event, nil)
	return reply, nil
}

func (w *wire) listen(events []string, done <-chan struct{},
	each func(name string, m *vici.Message)) error {
	pass := func(p packet) { each(p.name, p.msg) }
	if err := w.noDeadline(); err != nil {
		return err
	}
	for _, ev := range events {
		if err := w.register(pktEventRegister, ev, pass); err != nil {
			return err
		}
	}
	errc := make(chan error, 1)
	go func() {
		for {
			p, err := w.recv()
			if err != nil {
				errc <- err
				return
			}
			if p.typ == pktEvent {
				pass(p)
			}
		}
	}()
	select {
	case <-done:
		return nil
	case err := <-errc:
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("cli: connection closed: %w", syscall.ECONNRESET)
		}
		return err
	}
}
