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
	if n == 0 || n > maxFrame {
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
			return packet{}, fmt.Errorf("cli: truncated packet name: %w", syscall.EBADMSG)
		}
		p.name = string(body[1 : 1+int(body[0])])
		body = body[1+int(body[0]):]
	}
	m, err := vici.Decode(body)
	if err != nil {
		return packet{}, fmt.Errorf("cli: decoding %s: %w", p.name, err)
	}
	p.msg = m
	return p, nil
}

// call sends one command and waits for its reply as govici does: events
// are skipped, a reply of another kind fails with no error number, and
// repeated names in the reply keep the first place and the last value.
func (w *wire) call(cmd string, req *vici.Message) (*vici.Message, error) {
	if err := w.conn.SetDeadline(time.Now().Add(callTimeout)); err != nil {
		return nil, fmt.Errorf("cli: %s: %w", cmd, err)
	}
	if err := w.send(pktCmdRequest, cmd, req); err != nil {
		return nil, err
	}
	return w.reply(cmd)
}

// reply reads up to the reply of the command sent first of those waiting.
func (w *wire) reply(cmd string) (*vici.Message, error) {
	for {
		p, err := w.recv()
		if err != nil {
			return nil, err
		}
		switch p.typ {
		case pktCmdResponse:
			return lastWins(p.msg), nil
		case pktCmdUnknown:
			return nil, errUnknownCommand
		case pktEventConfirm, pktEventUnknown:
			return nil, fmt.Errorf("cli: %s: unexpected response type %d", cmd, p.typ)
		}
	}
}

// Pipelining bounds: requests sent ahead of their replies, and bytes per
// write. A few replies of a load command are far below what a socket
// buffers, so the daemon can always write them and never stalls its reader.
const (
	pipeWindow = 64
	pipeBatch  = 64 << 10
)

// pipeline sends cmd n times, with req(i) as the i-th request, and hands
// each reply or failure to done in order, as n calls would. It does not
// wait for a reply before sending the next requests: daemons, charon
// included, answer one connection's requests strictly in order, and a
// reload of thousands of connections then costs no round trip each.
// After a transport failure the rest go one call at a time, so they fail
// as separate calls would.
func (w *wire) pipeline(cmd string, n int, req func(int) *vici.Message,
	done func(int, *vici.Message, error)) {
	var errs [pipeWindow]error // an item that could not be encoded
	sent, got := 0, 0
	stopped := false // a write failed: read what was sent, then fall back
	for got < n {
		if !stopped && sent < n && sent-got < pipeWindow/2 {
			var err error
			sent, err = w.sendAhead(cmd, n, sent, got, req, errs[:])
			stopped = err != nil // nothing of the failed write counts as sent
		}
		if got == sent {
			break
		}
		if err := errs[got%pipeWindow]; err != nil {
			errs[got%pipeWindow] = nil
			done(got, nil, err)
			got++
			continue
		}
		if err := w.conn.SetDeadline(time.Now().Add(callTimeout)); err != nil {
			done(got, nil, fmt.Errorf("cli: %s: %w", cmd, err))
			got++
			break
		}
		reply, err := w.reply(cmd)
		done(got, reply, err)
		got++
		if err != nil {
			break
		}
	}
	for ; got < n; got++ {
		reply, err := w.call(cmd, req(got))
		done(got, reply, err)
	}
}

// sendAhead writes the requests from next on in one write, as many as the
// window and the batch size allow, and returns the index after the last.
// An item that cannot be encoded is marked in errs and not sent.
func (w *wire) sendAhead(cmd string, n, next, got int, req func(int) *vici.Message,
	errs []error) (int, error) {
	b := w.out[:0]
	i := next
	for ; i < n && i-got < pipeWindow && len(b) < pipeBatch; i++ {
		var err error
		if b, err = appendFrame(b, pktCmdRequest, cmd, req(i)); err != nil {
			errs[i%pipeWindow] = err
		}
	}
	w.out = b
	if len(b) == 0 {
		return i, nil
	}
	if err := w.conn.SetDeadline(time.Now().Add(callTimeout)); err != nil {
		return next, err
	}
	if _, err := w.conn.Write(b); err != nil {
		for j := next; j < i; j++ {
			errs[j%pipeWindow] = nil
		}
		return next, err
	}
	return i, nil
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
