package cli

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/charond/charond/vici"
)

// handler answers one command of the fake daemon; emit streams an event.
type handler = func(req *vici.Message, emit func(string, *vici.Message)) *vici.Message

// fakeDaemon is an in-process VICI server: handlers answer commands and
// may stream events to the client when it registered for them.
type fakeDaemon struct {
	t        *testing.T
	uri      string
	mu       sync.Mutex
	handlers map[string]func(req *vici.Message, emit func(string, *vici.Message)) *vici.Message
	calls    []string // commands received, in order
}

func newFakeDaemon(t *testing.T) *fakeDaemon {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cli.vici")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	d := &fakeDaemon{t: t, uri: "unix://" + path,
		handlers: map[string]func(*vici.Message, func(string, *vici.Message)) *vici.Message{}}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go d.serve(c)
		}
	}()
	return d
}

// handle registers a reply function for cmd.
func (d *fakeDaemon) handle(cmd string,
	h func(req *vici.Message, emit func(string, *vici.Message)) *vici.Message) {
	d.handlers[cmd] = h
}

// reply registers a fixed reply for cmd.
func (d *fakeDaemon) reply(cmd string, m *vici.Message) {
	d.handle(cmd, func(*vici.Message, func(string, *vici.Message)) *vici.Message { return m })
}

func (d *fakeDaemon) log() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.calls...)
}

func writeFrame(w io.Writer, typ byte, name string, m *vici.Message) error {
	b := []byte{0, 0, 0, 0, typ}
	if named(typ) {
		b = append(b, byte(len(name)))
		b = append(b, name...)
	}
	b, err := m.AppendEncoded(b)
	if err != nil {
		return err
	}
	binary.BigEndian.PutUint32(b, uint32(len(b)-4))
	_, err = w.Write(b)
	return err
}

func (d *fakeDaemon) serve(c net.Conn) {
	defer func() { _ = c.Close() }()
	w := newWire(c)
	registered := map[string]bool{}
	for {
		p, err := w.recv()
		if err != nil {
			return
		}
		switch p.typ {
		case pktEventRegister, pktEventUnreg:
			registered[p.name] = p.typ == pktEventRegister
			_ = writeFrame(c, pktEventConfirm, "", vici.NewMessage())
		case pktCmdRequest:
			d.mu.Lock()
			d.calls = append(d.calls, p.name+" "+dumpString(p.msg))
			h := d.handlers[p.name]
			d.mu.Unlock()
			if h == nil {
				_ = writeFrame(c, pktCmdUnknown, "", vici.NewMessage())
				continue
			}
			emit := func(ev string, m *vici.Message) {
				if registered[ev] {
					_ = writeFrame(c, pktEvent, ev, m)
				}
			}
			reply := h(p.msg, emit)
			if reply == nil {
				reply = vici.NewMessage()
			}
			_ = writeFrame(c, pktCmdResponse, "", reply)
		}
	}
}

// dumpString is the raw dump of m without label, for call logs.
func dumpString(m *vici.Message) string {
	var b bytes.Buffer
	dump(&b, "", m, formatRaw)
	return strings.TrimSuffix(strings.TrimPrefix(b.String(), " "), "\n")
}

// result of one swanctl run.
type result struct {
	out, err string
	rc       int
}

// runSwanctl runs our swanctl with a strongswan.conf naming no socket.
func runSwanctl(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if k == "STRONGSWAN_CONF" {
			return filepath.Join("testdata", "strongswan.conf")
		}
		return ""
	}
	rc := run(append([]string{"swanctl"}, args...), strings.NewReader(""), &out, &errb, getenv)
	return result{out.String(), errb.String(), rc}
}

func success() *vici.Message { return vici.NewMessage().Set("success", "yes") }

func failure(msg string) *vici.Message {
	return vici.NewMessage().Set("success", "no").Set("errmsg", msg)
}
