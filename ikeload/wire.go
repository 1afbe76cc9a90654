package ikeload

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/charond/charond/vici"
)

// wire is a VICI client that reads packets strictly in order, so every
// event of a streamed command is seen before the command's response, and
// dated as it arrives. (govici v0.8.0 may hand out the response before
// events still buffered, and drops events when its buffer is full.)
type wire struct {
	conn net.Conn
	r    *bufio.Reader
	buf  []byte
}

func dial(sock string) (*wire, error) {
	c, err := net.Dial("unix", sock)
	if err != nil {
		return nil, err
	}
	return &wire{conn: c, r: bufio.NewReader(c)}, nil
}

func (w *wire) Close() error { return w.conn.Close() }

func (w *wire) send(p *vici.Packet, deadline time.Time) error {
	if err := w.conn.SetDeadline(deadline); err != nil {
		return err
	}
	b, err := p.AppendFrame(w.buf[:0])
	if err != nil {
		return err
	}
	w.buf = b
	_, err = w.conn.Write(b)
	return err
}

func (w *wire) read() (*vici.Packet, error) {
	f, err := vici.ReadFrame(w.r, vici.MaxFrameSize)
	if err != nil {
		return nil, err
	}
	return vici.ParsePacket(f, vici.DecodeLimits{})
}

// call sends a command and returns its response, failing on
// success=no; events are not expected.
func (w *wire) call(cmd string, m *vici.Message, timeout time.Duration) (*vici.Message, error) {
	return w.stream(cmd, "", m, timeout, nil)
}

// stream sends cmd with event registered (none when empty), passes each
// event to ev and returns the response.
func (w *wire) stream(cmd, event string, m *vici.Message, timeout time.Duration,
	ev func(*vici.Message)) (*vici.Message, error) {
	deadline := time.Now().Add(timeout)
	if event != "" {
		if err := w.confirm(vici.EventRegister, event, deadline); err != nil {
			return nil, err
		}
	}
	if err := w.send(&vici.Packet{Type: vici.CmdRequest, Name: cmd, Message: m},
		deadline); err != nil {
		return nil, err
	}
	var resp *vici.Message
	for resp == nil {
		p, err := w.read()
		switch {
		case err != nil:
			return nil, err
		case p.Type == vici.Event && p.Name == event && ev != nil:
			ev(p.Message)
		case p.Type == vici.CmdResponse:
			resp = p.Message
		case p.Type != vici.Event:
			return nil, fmt.Errorf("%s: unexpected %s", cmd, p.Type)
		}
	}
	if event != "" {
		if err := w.confirm(vici.EventUnregister, event, deadline); err != nil {
			return nil, err
		}
	}
	if s, _ := resp.Get("success"); s == "no" {
		msg, _ := resp.Get("errmsg")
		return resp, fmt.Errorf("%s: %s", cmd, msg)
	}
	return resp, nil
}

func (w *wire) confirm(t vici.PacketType, event string, deadline time.Time) error {
	if err := w.send(&vici.Packet{Type: t, Name: event}, deadline); err != nil {
		return err
	}
	for {
		p, err := w.read()
		if err != nil {
			return err
		}
		switch p.Type {
		case vici.EventConfirm:
			return nil
		case vici.Event: // a late event of the stream; not ours to keep
		default:
			return errors.New("event " + event + ": " + p.Type.String())
		}
	}
}

// build turns nested maps of strings, string lists and maps into a
// message.
func build(m *vici.Message, kv map[string]any) *vici.Message {
	for k, v := range kv {
		switch v := v.(type) {
		case string:
			m.Set(k, v)
		case []string:
			m.SetList(k, v)
		case map[string]any:
			build(m.AddSection(k), v)
		default:
			panic(fmt.Sprintf("ikeload: %s: unsupported %T", k, v))
		}
	}
	return m
}
