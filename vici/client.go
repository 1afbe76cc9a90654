package vici

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var errTooManyFiles = syscall.EMFILE

// client is one accepted connection: a reader that handles requests in order
// and a writer that drains the client's own queue.
type client struct {
	srv   *Server
	conn  net.Conn
	in    *bufio.Reader // requests, read ahead
	id    uint64
	uid   int // peer's user ID, -1 if unknown
	queue *sendQueue

	ctx    context.Context
	cancel context.CancelFunc

	mu   sync.Mutex     // guards regs
	regs map[string]int // event name -> registration count (a multiset)

	stalled  bool        // a reply has waited for queue space; reader only
	dropping atomic.Bool // an event has been dropped for want of space
}

func newClient(s *Server, conn net.Conn, id uint64) *client {
	ctx, cancel := context.WithCancel(s.ctx)
	return &client{
		srv:    s,
		conn:   conn,
		in:     bufio.NewReaderSize(conn, readBuffer),
		id:     id,
		queue:  newSendQueue(s.Limits().QueueBytes, &s.queued),
		ctx:    ctx,
		cancel: cancel,
		regs:   map[string]int{},
	}
}

func (c *client) registrations(event string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.regs[event]
}

// shutdown asks the client to finish: the reader stops, queued data drains.
func (c *client) shutdown() {
	c.cancel()
	// Unblock a reader waiting for the next frame; the writer still drains.
	if cr, ok := c.conn.(interface{ CloseRead() error }); ok {
		cr.CloseRead()
	} else {
		c.conn.SetReadDeadline(time.Now())
	}
}

func (c *client) readLoop() {
	defer c.srv.wg.Done()
	defer c.srv.removeClient(c)
	defer c.queue.finish() // the writer flushes what is queued, then closes
	defer c.cancel()
	for {
		payload, lim, err := c.readFrame()
		if err != nil {
			c.logReadError(err, lim)
			return
		}
		p, err := ParsePacket(payload, DecodeLimits{MaxDepth: lim.MaxDepth,
			MaxElements: lim.MaxElements})
		if errors.Is(err, ErrLimit) {
			c.srv.log.Warn("vici request exceeds limit, closing connection", "client", c.id,
				"err", err, "max_depth", lim.MaxDepth, "max_elements", lim.MaxElements)
			return
		}
		if err != nil {
			c.srv.log.Warn("invalid vici message, closing connection", "client", c.id, "err", err)
			return
		}
		if !c.dispatch(p) {
			return
		}
	}
}

// readFrame waits as long as it takes for a request to begin, then gives
// the rest of it the read timeout. It returns the limits in force when the
// request began, which apply to all of it. Requests are read through a
// buffer: one that arrived whole, as most do, costs one read and no
// deadline.
func (c *client) readFrame() ([]byte, Limits, error) {
	if _, err := c.in.Peek(1); err != nil {
		return nil, c.srv.Limits(), err
	}
	lim := c.srv.Limits()
	whole := false
	if n := c.in.Buffered(); n >= 4 {
		hdr, _ := c.in.Peek(4)
		whole = uint64(n) >= 4+uint64(binary.BigEndian.Uint32(hdr))
	}
	if whole {
		payload, err := ReadFrame(c.in, lim.MaxFrame)
		return payload, lim, err
	}
	c.conn.SetReadDeadline(time.Now().Add(lim.ReadTimeout))
	payload, err := ReadFrame(c.in, lim.MaxFrame)
	if c.ctx.Err() == nil {
		c.conn.SetReadDeadline(time.Time{})
	}
	return payload, lim, err
}

func (c *client) logReadError(err error, lim Limits) {
	switch {
	case errors.Is(err, ErrFrameTooLarge):
		c.srv.log.Warn("vici message length exceeds limit, ignored; closing connection",
			"client", c.id, "err", err)
	case errors.Is(err, io.EOF), c.ctx.Err() != nil:
		c.srv.log.Debug("vici client disconnected", "client", c.id)
	case errors.Is(err, os.ErrDeadlineExceeded):
		c.srv.log.Warn("vici request not completed within read timeout, closing connection",
			"client", c.id, "timeout", lim.ReadTimeout)
	case errors.Is(err, io.ErrUnexpectedEOF):
		c.srv.log.Info("premature vici disconnect", "client", c.id)
	default:
		c.srv.log.Info("vici read error", "client", c.id, "err", err)
	}
}

// dispatch handles one packet and queues its reply. It returns false when the
// connection must be closed.
func (c *client) dispatch(p *Packet) bool {
	switch p.Type {
	case CmdRequest:
		return c.command(p)
	case EventRegister, EventUnregister:
		return c.push(&Packet{Type: c.register(p)})
	default:
		c.srv.log.Warn("unsupported vici operation, closing connection",
			"client", c.id, "type", uint8(p.Type))
		return false
	}
}

func (c *client) command(p *Packet) bool {
	h, ok := c.srv.handlers[p.Name]
	if !ok || !Printable(p.Name) {
		c.srv.log.Info("vici client invalid request", "client", c.id, "command", quoted(p.Name))
		return c.push(&Packet{Type: CmdUnknown})
	}
	c.srv.log.Debug("vici client request", "client", c.id, "command", p.Name)
	req := &Request{Command: p.Name, Message: p.Message, ClientID: c.id, emit: c.emit}
	reply := c.srv.runHandler(c.ctx, h, req)
	if reply == nil {
		reply = NewMessage()
	}
	frame, err := c.srv.encode(&Packet{Type: CmdResponse, Message: reply})
	if err != nil {
		c.srv.log.Warn("vici reply does not fit in a VICI message, answered with an error",
			"client", c.id, "command", p.Name, "err", err)
		frame, _ = c.srv.encode(&Packet{Type: CmdResponse, Message: Failure(fmt.Sprintf(
			"%s reply does not fit in a VICI message (%v); narrow the request",
			p.Name, err))})
	}
	return c.pushFrame(frame)
}

func (c *client) register(p *Packet) PacketType {
	count, known := c.srv.events[p.Name]
	known = known && Printable(p.Name)
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case !known:
		c.srv.log.Info("vici client invalid registration", "client", c.id,
			"event", quoted(p.Name), "op", p.Type.String())
		return EventUnknown
	case p.Type == EventRegister && c.regs[p.Name] >= maxRegistrations:
		c.srv.log.Warn("vici client registered an event too often, refused", "client", c.id,
			"event", p.Name, "limit", maxRegistrations)
		return EventUnknown
	case p.Type == EventRegister:
		c.regs[p.Name]++
		count.Add(1)
		return EventConfirm
	case c.regs[p.Name] > 0:
		c.regs[p.Name]--
		count.Add(-1)
		return EventConfirm
	default:
		return EventUnknown
	}
}

// emit queues an event of a streamed command for this client, once per
// registration; it waits for queue space, as the stream's reply must follow.
func (c *client) emit(event string, m *Message) bool {
	n := c.registrations(event)
	if n == 0 {
		return true
	}
	frame, err := c.srv.encode(&Packet{Type: Event, Name: event, Message: m})
	if err != nil {
		// Skipped, as strongSwan skips an oversize event.
		c.srv.log.Warn("vici event not sent: it does not fit in a VICI message",
			"client", c.id, "event", event, "err", err)
		return true
	}
	for range n {
		if !c.pushFrame(frame) {
			return false
		}
	}
	return true
}

func (c *client) push(p *Packet) bool {
	frame, err := c.srv.encode(p)
	if err != nil {
		c.srv.log.Error("vici builder error", "client", c.id, "packet", p.Type.String(),
			"err", err)
		return false
	}
	return c.pushFrame(frame)
}

// pushFrame queues a reply, waiting while the queue is full. It fails only
// when the client is gone. Waiting stops this client's reader, so a client
// that does not read stops being read: it waits alone.
func (c *client) pushFrame(frame []byte) bool {
	c.srv.shed(len(frame))
	if c.queue.tryPush(frame) {
		return true
	}
	if !c.stalled {
		c.stalled = true
		c.srv.log.Info("vici client queue full: reply waits until the client reads",
			"client", c.id, "queued", c.queue.size(), "limit", c.queue.max)
	} else {
		c.srv.log.Debug("vici client queue full, waiting", "client", c.id)
	}
	return c.queue.push(frame)
}

// pushEvent queues a broadcast event if there is space; events are not
// worth stopping the producer for.
func (c *client) pushEvent(event string, frame []byte) {
	c.srv.shed(len(frame))
	if c.queue.tryPush(frame) {
		return
	}
	if !c.dropping.Swap(true) {
		c.srv.log.Warn("vici client not reading: events dropped while its queue is full",
			"client", c.id, "event", event, "limit", c.queue.max)
	} else {
		c.srv.log.Debug("vici event dropped: queue full", "client", c.id, "event", event)
	}
}

func (c *client) writeLoop() {
	defer c.srv.wg.Done()
	defer c.conn.Close()
	var batch [][]byte
	for {
		// Replies to requests sent back to back go out in one writev.
		var ok bool
		batch, ok = c.queue.popBatch(batch[:0], writeBatch)
		if !ok {
			return
		}
		timeout := c.srv.Limits().WriteTimeout
		c.conn.SetWriteDeadline(time.Now().Add(timeout))
		bufs := net.Buffers(batch)
		_, err := bufs.WriteTo(c.conn)
		clear(batch)
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				c.srv.log.Warn("vici client took no data within write timeout, dropping it",
					"client", c.id, "timeout", timeout)
			} else {
				c.srv.log.Info("vici write error, dropping client", "client", c.id, "err", err)
			}
			c.drop()
			return
		}
	}
}

// quoted makes a name safe for a log line: slog quotes what needs it, so
// only unprintable bytes are escaped here.
func quoted(s string) string {
	if Printable(s) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// drop disconnects the client at once, discarding what is queued for it.
func (c *client) drop() {
	c.queue.abort()
	c.cancel()
	c.conn.Close() // wakes the reader and the writer
}

// readBuffer is what a client's reader takes from the socket at once: a
// typical request, and many pipelined small ones.
const readBuffer = 16 << 10

// writeBatch bounds the bytes of queued frames a client's writer takes for
// one write; a larger frame goes alone.
const writeBatch = 64 << 10

// maxRegistrations bounds how often one client may register one event:
// each registration costs a copy of every event, and no real client needs
// more than a few (govici registers twice while streaming).
const maxRegistrations = 64
