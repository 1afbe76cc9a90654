package vici

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// logBuffer collects a server's log lines for tests to search.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// waitFor waits until a log line contains s.
func (b *logBuffer) waitFor(t *testing.T, s string) {
	t.Helper()
	for range 200 {
		b.mu.Lock()
		found := strings.Contains(b.buf.String(), s)
		b.mu.Unlock()
		if found {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	t.Fatalf("no log line with %q in:\n%s", s, b.buf.String())
}

// startLogged is startServer with the log kept.
func startLogged(t *testing.T, lim Limits) (*Server, string, *logBuffer) {
	t.Helper()
	return startLoggedMode(t, lim, 0)
}

// startLoggedMode is startLogged with the socket's mode.
func startLoggedMode(t *testing.T, lim Limits, mode os.FileMode) (*Server, string, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	s := NewServer(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{
		Level: slog.LevelDebug})), lim)
	s.Handle("echo", func(_ context.Context, r *Request) *Message { return r.Message })
	s.Handle("panic", func(context.Context, *Request) *Message { panic("hard test panic") })
	s.Handle("fill", func(_ context.Context, r *Request) *Message {
		return NewMessage().Set("x", strings.Repeat("x", 30000))
	})
	path := filepath.Join(t.TempDir(), "charon.vici")
	l, err := Listen("unix://"+path, ListenOptions{UID: -1, GID: -1, Mode: mode})
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return s, path, logs
}

// served checks that a well-behaved client still gets its answer.
func served(t *testing.T, path string) {
	t.Helper()
	c := dialRaw(t, path)
	c.send(Packet{Type: CmdRequest, Name: "echo", Message: NewMessage().Set("k", "v")})
	if p := c.recv(); p.Type != CmdResponse {
		t.Fatalf("other client got %v", p.Type)
	} else if v, _ := p.Message.Get("k"); v != "v" {
		t.Fatalf("other client got k=%q", v)
	}
	c.Close()
}

func frameOf(payload []byte) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(payload))), payload...)
}

// Each limit is crossed by one client while another, connected before and
// kept open, goes on being served, and the server logs why.
func TestLimitsCrossed(t *testing.T) {
	many := []byte{0, 4, 'e', 'c', 'h', 'o', elemListStart, 1, 'l'}
	for range 11 {
		many = append(many, elemListItem, 0, 0)
	}
	many = append(many, elemListEnd)
	tests := []struct {
		name  string
		lim   Limits
		frame []byte
		log   string
	}{
		{"frame size", Limits{MaxFrame: 1000},
			frameOf(append([]byte{0, 4, 'e', 'c', 'h', 'o'}, make([]byte, 1000)...)),
			"vici message length exceeds limit"},
		{"depth", Limits{MaxDepth: 8}, deepRequest(9), "vici request exceeds limit"},
		{"elements", Limits{MaxElements: 10}, frameOf(many), "vici request exceeds limit"},
		{"half a frame", Limits{ReadTimeout: 200 * time.Millisecond},
			frameOf([]byte{0, 4, 'e', 'c', 'h', 'o'})[:7],
			"not completed within read timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, path, logs := startLogged(t, tt.lim)
			other := dialRaw(t, path)
			bad := dialRaw(t, path)
			bad.sendBytes(tt.frame)
			expectDropped(t, bad)
			logs.waitFor(t, tt.log)
			other.send(Packet{Type: CmdRequest, Name: "echo"})
			if p := other.recv(); p.Type != CmdResponse {
				t.Fatalf("connected client got %v", p.Type)
			}
			served(t, path)
		})
	}
}

// A request just inside every limit is answered.
func TestLimitsExactlyAtBound(t *testing.T) {
	_, path, _ := startLogged(t, Limits{MaxDepth: 8, MaxElements: 16, MaxFrame: 1000})
	c := dialRaw(t, path)
	c.sendBytes(deepRequest(8)) // 16 elements
	if p := c.recv(); p.Type != CmdResponse {
		t.Fatalf("depth 8 with limit 8: %v", p.Type)
	}
	// 11 bytes of header, name and key, then a value filling the frame.
	body := []byte{0, 4, 'e', 'c', 'h', 'o', elemKeyValue, 1, 'k'}
	body = binary.BigEndian.AppendUint16(body, 1000-11)
	body = append(body, make([]byte, 1000-11)...)
	c.sendBytes(frameOf(body))
	if p := c.recv(); p.Type != CmdResponse {
		t.Fatalf("frame of exactly 1000 bytes with limit 1000: %v", p.Type)
	}
}

func TestLimitMaxClients(t *testing.T) {
	s, path, logs := startLogged(t, Limits{MaxClients: 3})
	var conns []*rawConn
	for range 3 {
		c := dialRaw(t, path)
		c.send(Packet{Type: CmdRequest, Name: "echo"})
		c.recv() // accepted and counted
		conns = append(conns, c)
	}
	extra := dialRaw(t, path)
	extra.expectClosed()
	logs.waitFor(t, "too many clients")
	// The connected ones are still served.
	for _, c := range conns {
		c.send(Packet{Type: CmdRequest, Name: "echo"})
		if p := c.recv(); p.Type != CmdResponse {
			t.Fatalf("connected client got %v", p.Type)
		}
	}
	// A slot freed is a slot taken again.
	conns[0].Close()
	for range 200 {
		if s.Clients() < 3 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	served(t, path)
}

// A client that does not read fills its own queue: its replies wait, its
// broadcast events are dropped, and everyone else is served meanwhile.
func TestLimitQueueBytes(t *testing.T) {
	s, path, logs := startLogged(t, Limits{QueueBytes: 64 << 10, WriteTimeout: 5 * time.Second})
	stuck, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	reg, _ := (&Packet{Type: EventRegister, Name: "log"}).AppendFrame(nil)
	var reqs []byte
	for range 400 { // 12 MB of replies, far beyond socket buffers and queue
		reqs, _ = (&Packet{Type: CmdRequest, Name: "fill", Message: NewMessage()}).AppendFrame(reqs)
	}
	go stuck.Write(append(reg, reqs...))
	logs.waitFor(t, "vici client queue full: reply waits until the client reads")
	// What the server holds for the client stays within the bound: the
	// queue plus the one reply that waits for space.
	for range 20 {
		s.mu.Lock()
		for c := range s.clients {
			if q := c.queue.size(); q > 64<<10+32<<10 {
				t.Errorf("queue of %d bytes with a 64 KiB limit", q)
			}
		}
		s.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	for range 50 {
		s.Broadcast("log", NewMessage().Set("msg", strings.Repeat("m", 1000)))
	}
	logs.waitFor(t, "events dropped while its queue is full")
	for range 20 {
		served(t, path)
	}
	// Reading again drains everything: the queue held, it did not lose.
	stuck.SetReadDeadline(time.Now().Add(10 * time.Second))
	var replies int
	for replies < 400 {
		payload, err := ReadFrame(stuck, MaxFrameSize)
		if err != nil {
			t.Fatalf("after %d replies: %v", replies, err)
		}
		if PacketType(payload[0]) == CmdResponse {
			replies++
		}
	}
}

func TestLimitWriteTimeoutDropsOnlyThatClient(t *testing.T) {
	_, path, logs := startLogged(t, Limits{QueueBytes: 32 << 10,
		WriteTimeout: 300 * time.Millisecond})
	stuck := dialRaw(t, path)
	var reqs []byte
	for range 100 {
		reqs, _ = (&Packet{Type: CmdRequest, Name: "fill", Message: NewMessage()}).AppendFrame(reqs)
	}
	go stuck.Write(reqs)
	logs.waitFor(t, "took no data within write timeout")
	served(t, path)
	expectDropped(t, stuck)
}

// expectDropped reads until the server's end is closed, by EOF or, when
// the server closed with unread data, by a reset.
func expectDropped(t *testing.T, c *rawConn) {
	t.Helper()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	_, err := io.Copy(io.Discard, c)
	if err != nil && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("connection not closed: %v", err)
	}
}

func TestSetLimitsAppliesToNextRequest(t *testing.T) {
	s, path, _ := startLogged(t, Limits{})
	c := dialRaw(t, path)
	c.sendBytes(deepRequest(9))
	if p := c.recv(); p.Type != CmdResponse {
		t.Fatalf("depth 9 under defaults: %v", p.Type)
	}
	s.SetLimits(Limits{MaxDepth: 8})
	if got := s.Limits(); got.MaxDepth != 8 || got.MaxFrame != MaxFrameSize {
		t.Fatalf("limits = %+v", got)
	}
	c.sendBytes(deepRequest(9))
	expectDropped(t, c)
}

// A burst of clients connecting at once is queued by the listen backlog,
// not refused.
func TestBurstOfConnectsAccepted(t *testing.T) {
	_, path, _ := startLogged(t, Limits{})
	const n = 500
	var wg sync.WaitGroup
	errs := make(chan error, n)
	conns := make(chan net.Conn, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.DialTimeout("unix", path, 5*time.Second)
			if err != nil {
				errs <- err
				return
			}
			conns <- c
		}()
	}
	wg.Wait()
	close(errs)
	close(conns)
	for err := range errs {
		t.Errorf("connect refused in a burst: %v", err)
	}
	for c := range conns {
		c.Close()
	}
}

// ReadFrame does not reserve what a header announces before it arrives.
func BenchmarkReadFrameAnnouncedOnly(b *testing.B) {
	hdr := binary.BigEndian.AppendUint32(nil, MaxFrameSize)
	b.ReportAllocs()
	for range b.N {
		ReadFrame(io.MultiReader(bytes.NewReader(hdr), bytes.NewReader([]byte{1})), MaxFrameSize)
	}
}

// A panicking handler answers its client with an error and is logged; that
// client and the others carry on.
func TestHandlerPanicAnsweredAndLogged(t *testing.T) {
	_, path, logs := startLogged(t, Limits{})
	other := dialRaw(t, path)
	c := dialRaw(t, path)
	c.send(Packet{Type: CmdRequest, Name: "panic"})
	p := c.recv()
	if v, _ := p.Message.Get("success"); p.Type != CmdResponse || v != "no" {
		t.Fatalf("reply to a panicking command: %v %v", p.Type, p.Message)
	}
	logs.waitFor(t, "vici command handler panicked")
	logs.waitFor(t, "hard test panic")
	for _, rc := range []*rawConn{c, other} {
		rc.send(Packet{Type: CmdRequest, Name: "echo"})
		if p := rc.recv(); p.Type != CmdResponse {
			t.Fatalf("after the panic: %v", p.Type)
		}
	}
}

// Close does not wait a full write timeout for a client that never reads.
func TestCloseDropsStuckClient(t *testing.T) {
	s, path, logs := startLogged(t, Limits{QueueBytes: 32 << 10, WriteTimeout: time.Hour})
	stuck := dialRaw(t, path)
	var reqs []byte
	for range 100 {
		reqs, _ = (&Packet{Type: CmdRequest, Name: "fill", Message: NewMessage()}).AppendFrame(reqs)
	}
	go stuck.Write(reqs)
	logs.waitFor(t, "reply waits until the client reads")
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(time.Minute):
		t.Fatal("Close waited on a client that does not read")
	}
	logs.waitFor(t, "vici clients not reading at shutdown, dropped")
}

// tcp:// off loopback is refused before anything is bound, unless allowed.
func TestListenRemoteTCPNeedsConsent(t *testing.T) {
	for _, addr := range []string{"tcp://192.0.2.1:4502", "tcp://0.0.0.0:4502", "tcp://[::]:4502",
		"tcp://example.org:4502"} {
		if _, err := Listen(addr, ListenOptions{}); err == nil ||
			!strings.Contains(err.Error(), "not a loopback address") {
			t.Fatalf("%s: %v", addr, err)
		}
	}
	// With consent the address is tried: this one is not ours to bind.
	_, err := Listen("tcp://192.0.2.1:4502", ListenOptions{AllowRemoteTCP: true})
	if err == nil || strings.Contains(err.Error(), "not a loopback address") {
		t.Fatalf("allowed remote tcp: %v", err)
	}
	l, err := Listen("tcp://127.0.0.1:0", ListenOptions{})
	if err != nil {
		t.Fatalf("loopback refused: %v", err)
	}
	l.Close()
}

// BenchmarkDecodeMaxElements decodes the costliest request the default
// limits admit: MaxElements empty key/values, the element that costs most
// memory per byte sent. Its B/op is the figure in the Limits comment.
func BenchmarkDecodeMaxElements(b *testing.B) {
	var body []byte
	for range DefaultLimits.MaxElements {
		body = append(body, elemKeyValue, 1, 'k', 0, 0)
	}
	lim := DecodeLimits{MaxDepth: DefaultLimits.MaxDepth, MaxElements: DefaultLimits.MaxElements}
	b.ReportAllocs()
	for range b.N {
		if _, err := DecodeWithLimits(body, lim); err != nil {
			b.Fatal(err)
		}
	}
}

// Clients that stop reading together cannot queue more than the total
// limit: the one with the most queued is dropped, the others are served.
func TestLimitTotalQueueBytes(t *testing.T) {
	s, path, logs := startLogged(t, Limits{QueueBytes: 256 << 10, TotalQueueBytes: 300 << 10,
		WriteTimeout: time.Minute})
	var reqs []byte
	for range 100 { // 3 MB of replies each
		reqs, _ = (&Packet{Type: CmdRequest, Name: "fill", Message: NewMessage()}).AppendFrame(reqs)
	}
	for range 3 {
		c, err := net.Dial("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		go c.Write(reqs)
	}
	logs.waitFor(t, "vici queues exceed their total limit, "+
		"dropping the client with the most queued")
	for range 50 {
		if got := s.queued.Load(); got > 300<<10+32<<10 {
			t.Fatalf("%d bytes queued with a total limit of 300 KiB", got)
		}
		time.Sleep(5 * time.Millisecond)
	}
	served(t, path)
}

func TestLimitRegistrations(t *testing.T) {
	_, path, logs := startLogged(t, Limits{})
	c := dialRaw(t, path)
	for i := range maxRegistrations + 2 {
		c.send(Packet{Type: EventRegister, Name: "log"})
		want := EventConfirm
		if i >= maxRegistrations {
			want = EventUnknown
		}
		if got := c.recv().Type; got != want {
			t.Fatalf("registration %d = %v, want %v", i+1, got, want)
		}
	}
	logs.waitFor(t, "vici client registered an event too often, refused")
	// Unregistering frees a place again.
	c.send(Packet{Type: EventUnregister, Name: "log"})
	c.recv()
	c.send(Packet{Type: EventRegister, Name: "log"})
	if got := c.recv().Type; got != EventConfirm {
		t.Fatalf("registration after unregister = %v", got)
	}
}

func TestQuotedName(t *testing.T) {
	if got := quoted("vers\x00ion"); got != `vers\x00ion` {
		t.Fatalf("quoted = %s", got)
	}
	if got := quoted("version"); got != "version" {
		t.Fatalf("quoted = %s", got)
	}
}

// A client's registrations end with it, so producers stop building events
// for nobody.
func TestHasSubscribersFollowsClients(t *testing.T) {
	s, path, _ := startLogged(t, Limits{})
	c := dialRaw(t, path)
	c.send(Packet{Type: EventRegister, Name: "log"})
	c.send(Packet{Type: EventRegister, Name: "log"})
	c.recv()
	c.recv()
	if !s.HasSubscribers("log") || s.HasSubscribers("ike-updown") || s.HasSubscribers("bogus") {
		t.Fatal("subscribers wrong after registering log twice")
	}
	c.send(Packet{Type: EventUnregister, Name: "log"})
	c.recv()
	if !s.HasSubscribers("log") {
		t.Fatal("one of two registrations removed the subscriber")
	}
	c.Close()
	for range 200 {
		if !s.HasSubscribers("log") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("a disconnected client still counts as a subscriber")
}
