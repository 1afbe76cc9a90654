package vici

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	govici "github.com/strongswan/govici/vici"
)

// startServer runs a server with a few test commands on a fresh socket.
func startServer(t *testing.T, lim Limits) (*Server, string) {
	t.Helper()
	s := NewServer(nil, lim)
	s.Handle("echo", func(_ context.Context, r *Request) *Message { return r.Message })
	s.Handle("stream", func(_ context.Context, r *Request) *Message {
		n, _ := r.Message.Get("n")
		count, _ := strconv.Atoi(n)
		for i := range count {
			r.Emit("list-conn", NewMessage().Set("i", strconv.Itoa(i)))
		}
		return NewMessage()
	})
	s.Handle("panic", func(context.Context, *Request) *Message { panic("boom") })
	s.Handle("big", func(context.Context, *Request) *Message {
		return NewMessage().Set("a", strings.Repeat("x", 60000)).
			Set("b", strings.Repeat("y", 60000)).
			Set("c", strings.Repeat("z", 60000))
	})
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	s.Handle("block", func(ctx context.Context, _ *Request) *Message {
		select {
		case <-block:
		case <-ctx.Done():
		}
		return Success()
	})
	path := filepath.Join(t.TempDir(), "charon.vici")
	l, err := Listen("unix://"+path, ListenOptions{UID: -1, GID: -1})
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return s, path
}

func session(t *testing.T, path string) *govici.Session {
	t.Helper()
	sess, err := govici.NewSession(govici.WithSocketPath(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	return sess
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestServerGovici(t *testing.T) {
	_, path := startServer(t, Limits{})
	sess := session(t, path)
	in := govici.NewMessage()
	in.Set("k", "v")
	out, err := sess.Call(ctx(t), "echo", in)
	if err != nil || out.Get("k") != "v" {
		t.Fatalf("echo = %v, %v", out, err)
	}
	if _, err := sess.Call(ctx(t), "no-such-command", nil); err == nil ||
		!strings.Contains(err.Error(), "unexpected response type: 2") {
		t.Fatalf("unknown command: %v", err)
	}
	if err := sess.Subscribe("bogus-event"); err == nil {
		t.Fatal("registering an unknown event succeeded")
	}
	// The session still pairs replies correctly afterwards.
	if out, err := sess.Call(ctx(t), "echo", in); err != nil || out.Get("k") != "v" {
		t.Fatalf("echo after errors = %v, %v", out, err)
	}
	out, err = sess.Call(ctx(t), "panic", nil)
	if err == nil || out.Get("errmsg") != "internal error while handling panic" {
		t.Fatalf("panic = %v, %v", out, err)
	}
}

func TestServerStreamsBeforeReply(t *testing.T) {
	_, path := startServer(t, Limits{})
	sess := session(t, path)
	events := make(chan govici.Event, 2000)
	sess.NotifyEvents(events)
	if err := sess.Subscribe("list-conn"); err != nil {
		t.Fatal(err)
	}
	in := govici.NewMessage()
	in.Set("n", "1000")
	if _, err := sess.Call(ctx(t), "stream", in); err != nil {
		t.Fatal(err)
	}
	// govici dispatches events before it reads the reply that follows them.
	if len(events) != 1000 {
		t.Fatalf("got %d events before the reply, want 1000", len(events))
	}
	for i := range 1000 {
		ev := <-events
		if ev.Message.Get("i") != strconv.Itoa(i) {
			t.Fatalf("event %d = %v", i, ev.Message.Get("i"))
		}
	}
}

// rawConn speaks frames directly, for what govici cannot send.
type rawConn struct {
	t *testing.T
	net.Conn
}

func dialRaw(t *testing.T, path string) *rawConn {
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(5 * time.Second))
	return &rawConn{t, c}
}

func (c *rawConn) send(p Packet) {
	if p.Type.hasMessage() && p.Message == nil {
		p.Message = NewMessage()
	}
	f, err := p.AppendFrame(nil)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendBytes(f)
}

func (c *rawConn) sendBytes(b []byte) {
	if _, err := c.Write(b); err != nil {
		c.t.Fatal(err)
	}
}

func (c *rawConn) recv() *Packet {
	c.t.Helper()
	payload, err := ReadFrame(c, MaxFrameSize)
	if err != nil {
		c.t.Fatalf("reading reply: %v", err)
	}
	p, err := ParsePacket(payload, DecodeLimits{})
	if err != nil {
		c.t.Fatal(err)
	}
	return p
}

func (c *rawConn) expectClosed() {
	c.t.Helper()
	var b [1]byte
	if _, err := c.Read(b[:]); !errors.Is(err, io.EOF) {
		c.t.Fatalf("connection not closed: %v", err)
	}
}

func TestServerRegistrationCounts(t *testing.T) {
	_, path := startServer(t, Limits{})
	c := dialRaw(t, path)
	steps := []struct {
		typ  PacketType
		name string
		want PacketType
	}{
		{EventRegister, "list-conn", EventConfirm},
		{EventRegister, "list-conn", EventConfirm},
		{EventUnregister, "list-conn", EventConfirm},
		{EventUnregister, "list-conn", EventConfirm},
		{EventUnregister, "list-conn", EventUnknown},
		{EventRegister, "alert", EventUnknown},
		{EventUnregister, "bogus", EventUnknown},
		{EventRegister, "lo\x01g", EventUnknown},
	}
	for _, s := range steps {
		c.send(Packet{Type: s.typ, Name: s.name})
		if got := c.recv().Type; got != s.want {
			t.Fatalf("%v %q = %v, want %v", s.typ, s.name, got, s.want)
		}
	}
	// Two registrations deliver each streamed event twice.
	c.send(Packet{Type: EventRegister, Name: "list-conn"})
	c.send(Packet{Type: EventRegister, Name: "list-conn"})
	c.recv()
	c.recv()
	c.send(Packet{Type: CmdRequest, Name: "stream", Message: NewMessage().Set("n", "1")})
	for i := range 2 {
		if p := c.recv(); p.Type != Event || p.Name != "list-conn" {
			t.Fatalf("packet %d = %v %q", i, p.Type, p.Name)
		}
	}
	if p := c.recv(); p.Type != CmdResponse {
		t.Fatalf("final packet = %v", p.Type)
	}
}

func TestServerUnprintableCommandIsUnknown(t *testing.T) {
	_, path := startServer(t, Limits{})
	c := dialRaw(t, path)
	c.send(Packet{Type: CmdRequest, Name: "ech\x00"})
	if p := c.recv(); p.Type != CmdUnknown {
		t.Fatalf("reply = %v", p.Type)
	}
}

func TestServerMalformedClosesOnlyThatClient(t *testing.T) {
	bad := map[string][]byte{
		"bad message":      {0, 0, 0, 7, 0, 4, 'e', 'c', 'h', 'o', 3}, // truncated key/value
		"bad element":      append([]byte{0, 0, 0, 7, 0, 4}, "echo\x09"...),
		"server type":      {0, 0, 0, 1, 1},
		"type 9":           {0, 0, 0, 1, 9},
		"empty frame":      {0, 0, 0, 0},
		"name overruns":    {0, 0, 0, 3, 0, 9, 'e'},
		"oversize length":  {0, 8, 0, 1},
		"huge length":      {0xff, 0xff, 0xff, 0xff},
		"too deep":         deepRequest(100),
		"disconnect early": {0, 0, 0, 9, 0, 7},
	}
	_, path := startServer(t, Limits{})
	good := session(t, path)
	for name, frame := range bad {
		t.Run(name, func(t *testing.T) {
			c := dialRaw(t, path)
			c.sendBytes(frame)
			if name == "disconnect early" {
				c.Close()
			} else {
				c.expectClosed()
			}
			if _, err := good.Call(ctx(t), "echo", nil); err != nil {
				t.Fatalf("other client after %s: %v", name, err)
			}
		})
	}
}

func deepRequest(depth int) []byte {
	var msg []byte
	for range depth {
		msg = append(msg, elemSectionStart, 1, 's')
	}
	for range depth {
		msg = append(msg, elemSectionEnd)
	}
	payload := append([]byte{0, 4, 'e', 'c', 'h', 'o'}, msg...)
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(payload))), payload...)
}

func TestServerRepliesInOrderWhenPipelined(t *testing.T) {
	_, path := startServer(t, Limits{})
	c := dialRaw(t, path)
	var buf bytes.Buffer
	for i := range 200 {
		p := Packet{Type: CmdRequest, Name: "echo", Message: NewMessage().Set("i", strconv.Itoa(i))}
		if i%3 == 1 {
			p = Packet{Type: CmdRequest, Name: "nope"}
		}
		f, _ := p.AppendFrame(nil)
		buf.Write(f)
	}
	c.sendBytes(buf.Bytes())
	for i := range 200 {
		p := c.recv()
		if i%3 == 1 {
			if p.Type != CmdUnknown {
				t.Fatalf("reply %d = %v", i, p.Type)
			}
			continue
		}
		if v, _ := p.Message.Get("i"); p.Type != CmdResponse || v != strconv.Itoa(i) {
			t.Fatalf("reply %d = %v %q", i, p.Type, v)
		}
	}
}

func TestServerOversizeReplyAnswered(t *testing.T) {
	_, path := startServer(t, Limits{MaxReply: 100000})
	sess := session(t, path)
	out, err := sess.Call(ctx(t), "big", nil)
	if err == nil || !strings.Contains(out.Get("errmsg").(string), "does not fit") {
		t.Fatalf("big = %v, %v", out, err)
	}
}

func TestServerSlowClientBlocksNobody(t *testing.T) {
	_, path := startServer(t, Limits{QueueBytes: 64 << 10, WriteTimeout: time.Second})
	// A client that registers, asks for a large stream and never reads.
	stuck := dialRaw(t, path)
	stuck.send(Packet{Type: EventRegister, Name: "list-conn"})
	stuck.send(Packet{Type: CmdRequest, Name: "stream", Message: NewMessage().Set("n", "1000000")})
	sess := session(t, path)
	start := time.Now()
	for range 100 {
		if _, err := sess.Call(ctx(t), "echo", nil); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("other client slowed down: %v", d)
	}
	// The stuck client is dropped after the write timeout: what is left to
	// read is what the kernel buffered, then EOF.
	time.Sleep(2500 * time.Millisecond)
	stuck.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.Copy(io.Discard, stuck); err != nil {
		t.Fatalf("stuck client was not dropped: %v", err)
	}
}

func TestListenStaleAndLive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.vici")
	l, err := Listen("unix://"+path, ListenOptions{UID: -1, GID: -1})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o660 {
		t.Fatalf("socket mode = %v, %v; want 0660", fi.Mode().Perm(), err)
	}
	_, err = Listen("unix://"+path, ListenOptions{UID: -1, GID: -1})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second listener on a live socket: %v", err)
	}
	// Leave a stale socket file behind, as a crashed daemon does.
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("stale socket missing: %v", err)
	}
	l2, err := Listen("unix://"+path, ListenOptions{UID: -1, GID: -1})
	if err != nil {
		t.Fatalf("stale socket not replaced: %v", err)
	}
	l2.Close()
	if _, err := Listen("tcp://192.0.2.1:4502", ListenOptions{}); err == nil {
		t.Fatal("non-loopback tcp accepted")
	}
}

func TestServerCloseFinishesInFlight(t *testing.T) {
	s, path := startServer(t, Limits{})
	sess := session(t, path)
	var wg sync.WaitGroup
	wg.Add(1)
	var err error
	go func() {
		defer wg.Done()
		_, err = sess.Call(ctx(t), "block", nil)
	}()
	time.Sleep(100 * time.Millisecond)
	s.Close()
	wg.Wait()
	if err != nil {
		t.Fatalf("in-flight call during Close: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("socket left after Close: %v", err)
	}
}

func TestRuntimeFigures(t *testing.T) {
	s, path := startServer(t, Limits{MaxClients: 7})
	c := dialRaw(t, path)
	c.send(Packet{Type: CmdRequest, Name: "echo"})
	c.recv()
	runtime.GC() // heap-live is measured by a collection
	m := NewMessage()
	s.RuntimeFigures(m)
	for k, want := range map[string]string{"vici-clients": "1", "vici-max-clients": "7"} {
		if v, _ := m.Get(k); v != want {
			t.Fatalf("%s = %q, want %s", k, v, want)
		}
	}
	for _, k := range []string{"heap-live", "open-files"} {
		if v, _ := m.Get(k); v == "" || v == "0" {
			t.Fatalf("%s = %q", k, v)
		}
	}
}
