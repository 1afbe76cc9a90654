package cli

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charond/charond/vici"
)

// pipeServer accepts one connection and hands it to serve.
func pipeServer(t *testing.T, serve func(c net.Conn, w *wire)) *wire {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pipe.vici")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { <-done })
	go func() {
		defer close(done)
		defer ln.Close()
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		serve(c, newWire(c))
	}()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return newWire(c)
}

func numbered(i int) *vici.Message { return vici.NewMessage().Set("n", strconv.Itoa(i)) }

// outcome is what done saw for one item.
type outcome struct {
	i     int
	reply string
	err   error
}

func collect(w *wire, n int, req func(int) *vici.Message) []outcome {
	var got []outcome
	w.pipeline("load-conn", n, req, func(i int, m *vici.Message, err error) {
		o := outcome{i: i, err: err}
		if m != nil {
			o.reply, _ = m.Get("n")
		}
		got = append(got, o)
	})
	return got
}

// TestPipelineSendsAhead has the daemon answer a request only once it has
// read the 16 after it: a client that waits for each reply never gets one.
func TestPipelineSendsAhead(t *testing.T) {
	const n, ahead = 300, 16
	var seen []string
	w := pipeServer(t, func(c net.Conn, sw *wire) {
		answered := 0
		for answered < n {
			if len(seen) < n {
				p, err := sw.recv()
				if err != nil {
					t.Errorf("daemon: %v after %d requests", err, len(seen))
					return
				}
				v, _ := p.msg.Get("n")
				seen = append(seen, v)
			}
			for answered < n && (len(seen) > answered+ahead || len(seen) == n) {
				if err := writeFrame(c, pktCmdResponse, "", numbered(answered)); err != nil {
					t.Errorf("daemon: %v", err)
					return
				}
				answered++
			}
		}
	})
	got := collect(w, n, numbered)
	if len(got) != n {
		t.Fatalf("%d outcomes, want %d", len(got), n)
	}
	for i, o := range got {
		if o.i != i || o.err != nil || o.reply != strconv.Itoa(i) {
			t.Fatalf("outcome %d: %+v", i, o)
		}
	}
	for i, v := range seen {
		if v != strconv.Itoa(i) {
			t.Fatalf("request %d carried n=%s", i, v)
		}
	}
}

// TestPipelineUnencodable fails an item that cannot be encoded in its
// place, sends nothing for it and goes on with the rest.
func TestPipelineUnencodable(t *testing.T) {
	const n = 100
	bad := map[int]bool{0: true, 7: true, 64: true, 99: true}
	req := func(i int) *vici.Message {
		if bad[i] {
			return vici.NewMessage().Set(strings.Repeat("x", 300), "too long a name")
		}
		return numbered(i)
	}
	w := pipeServer(t, func(c net.Conn, sw *wire) {
		for range n - len(bad) {
			p, err := sw.recv()
			if err != nil {
				t.Errorf("daemon: %v", err)
				return
			}
			if err := writeFrame(c, pktCmdResponse, "", p.msg); err != nil {
				return
			}
		}
	})
	got := collect(w, n, req)
	if len(got) != n {
		t.Fatalf("%d outcomes, want %d", len(got), n)
	}
	for i, o := range got {
		switch {
		case o.i != i:
			t.Fatalf("outcome %d is for item %d", i, o.i)
		case bad[i] && !errors.As(o.err, new(*builderError)):
			t.Errorf("item %d: %+v, want the builder's error", i, o)
		case !bad[i] && (o.err != nil || o.reply != strconv.Itoa(i)):
			t.Errorf("item %d: %+v", i, o)
		}
	}
}

// TestPipelineDaemonCloses has the daemon answer three requests and hang
// up: every later item fails, once each and in order, with a connection
// error as a call of its own would.
func TestPipelineDaemonCloses(t *testing.T) {
	const n = 50
	w := pipeServer(t, func(c net.Conn, sw *wire) {
		for i := range 3 {
			if _, err := sw.recv(); err != nil {
				t.Errorf("daemon: %v", err)
				return
			}
			writeFrame(c, pktCmdResponse, "", numbered(i))
		}
	})
	got := collect(w, n, numbered)
	if len(got) != n {
		t.Fatalf("%d outcomes, want %d", len(got), n)
	}
	for i, o := range got {
		if o.i != i {
			t.Fatalf("outcome %d is for item %d", i, o.i)
		}
		if i < 3 {
			if o.err != nil || o.reply != strconv.Itoa(i) {
				t.Errorf("item %d: %+v", i, o)
			}
			continue
		}
		en := errnoOf(o.err)
		if o.err == nil || (en != syscall.ECONNRESET && en != syscall.EPIPE) {
			t.Errorf("item %d: %+v (errno %v), want a connection error", i, o, en)
		}
	}
}

// TestPipelineSkipsEvents passes over events between replies, as call does.
func TestPipelineSkipsEvents(t *testing.T) {
	const n = 5
	w := pipeServer(t, func(c net.Conn, sw *wire) {
		for i := range n {
			if _, err := sw.recv(); err != nil {
				return
			}
			writeFrame(c, pktEvent, "log", vici.NewMessage().Set("n", "event"))
			writeFrame(c, pktCmdResponse, "", numbered(i))
		}
	})
	for i, o := range collect(w, n, numbered) {
		if o.err != nil || o.reply != strconv.Itoa(i) {
			t.Errorf("item %d: %+v", i, o)
		}
	}
}

// TestLoadReportsInFileOrder checks that --load-conns prints the outcome
// of every connection in file order when some cannot be built and some
// are refused, with many requests in flight.
func TestLoadReportsInFileOrder(t *testing.T) {
	d := newFakeDaemon(t)
	d.reply("get-conns", vici.NewMessage().SetList("conns", []string{"old1", "c3", "old2"}))
	d.handle("load-conn", func(req *vici.Message, _ func(string, *vici.Message)) *vici.Message {
		name := req.Keys()[0]
		if strings.HasSuffix(name, "7") {
			return vici.NewMessage().Set("success", "no").Set("errmsg", "refused "+name)
		}
		return vici.NewMessage().Set("success", "yes")
	})
	d.reply("unload-conn", vici.NewMessage().Set("success", "yes"))
	dir := t.TempDir()
	var conf, wantOut, wantErr strings.Builder
	conf.WriteString("connections {\n")
	const n = 150
	loaded := 0
	for i := range n {
		name := fmt.Sprintf("c%d", i)
		if i%50 == 10 {
			// a certificate file that does not exist
			fmt.Fprintf(&conf, "  %s { local { certs = nope%d.pem } }\n", name, i)
			fmt.Fprintf(&wantErr, "nope%d.pem' failed: No such file or directory\n", i)
			continue
		}
		fmt.Fprintf(&conf, "  %s { remote_addrs = 192.0.2.%d }\n", name, i%250+1)
		if strings.HasSuffix(name, "7") {
			fmt.Fprintf(&wantErr, "loading connection '%s' failed: refused %s\n", name, name)
			continue
		}
		fmt.Fprintf(&wantOut, "loaded connection '%s'\n", name)
		loaded++
	}
	conf.WriteString("}\n")
	file := filepath.Join(dir, "swanctl.conf")
	if err := os.WriteFile(file, []byte(conf.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runSwanctl(t, nil, "--load-conns", "--file", file, "--uri", d.uri)
	if r.rc == 0 {
		t.Fatalf("rc 0 with failures; stderr:\n%s", r.err)
	}
	fmt.Fprintf(&wantErr, "loaded %d of %d connections, %d failed to load, 2 unloaded\n",
		loaded, n, n-loaded)
	if r.out != wantOut.String() {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.out, wantOut.String())
	}
	gotErr := strings.Split(r.err, "\n")
	want := strings.Split(wantErr.String(), "\n")
	if len(gotErr) != len(want) {
		t.Fatalf("stderr has %d lines, want %d:\n%s", len(gotErr), len(want), r.err)
	}
	for i := range want {
		if strings.HasPrefix(want[i], "nope") {
			if !strings.HasPrefix(gotErr[i], "loading certs certificate '") ||
				!strings.HasSuffix(gotErr[i], want[i]) {
				t.Errorf("stderr line %d: %q, want one ending in %q", i, gotErr[i], want[i])
			}
			continue
		}
		if gotErr[i] != want[i] {
			t.Errorf("stderr line %d: %q, want %q", i, gotErr[i], want[i])
		}
	}
	var unloads []string
	for _, c := range d.log() {
		if strings.HasPrefix(c, "unload-conn") {
			unloads = append(unloads, c)
		}
	}
	if len(unloads) != 2 || !strings.Contains(unloads[0], "old1") ||
		!strings.Contains(unloads[1], "old2") {
		t.Errorf("unloads: %q", unloads)
	}
}

// TestPipelineOddReplies answers some requests with packets that are not
// replies: each fails its own request only, nothing is sent twice, and
// the connection stays in step for the next call.
func TestPipelineOddReplies(t *testing.T) {
	const n = 120
	odd := map[int]func(c net.Conn){
		3:  func(c net.Conn) { writeFrame(c, pktCmdUnknown, "", vici.NewMessage()) },
		5:  func(c net.Conn) { c.Write([]byte{0, 0, 0, 0}) },
		7:  func(c net.Conn) { writeFrame(c, pktEventConfirm, "", vici.NewMessage()) },
		9:  func(c net.Conn) { c.Write([]byte{0, 0, 0, 3, pktCmdResponse, 9, 9}) },
		70: func(c net.Conn) { writeFrame(c, pktEventUnknown, "", vici.NewMessage()) },
	}
	requests := 0
	w := pipeServer(t, func(c net.Conn, sw *wire) {
		for i := range n + 1 {
			p, err := sw.recv()
			if err != nil {
				t.Errorf("daemon: %v after %d requests", err, i)
				return
			}
			requests++
			if f := odd[i]; f != nil {
				f(c)
				continue
			}
			writeFrame(c, pktCmdResponse, "", p.msg)
		}
	})
	got := collect(w, n, numbered)
	if len(got) != n {
		t.Fatalf("%d outcomes, want %d", len(got), n)
	}
	for i, o := range got {
		switch i {
		case 3, 70: // CMD_UNKNOWN, EVENT_UNKNOWN: ENOENT, as libvici has it
			if !errors.Is(o.err, syscall.ENOENT) {
				t.Errorf("item %d: %+v, want ENOENT", i, o)
			}
		case 7: // EVENT_CONFIRM: an empty reply to libvici
			if o.err != nil || o.reply != "" {
				t.Errorf("item %d: %+v, want an empty reply", i, o)
			}
		case 5: // an empty frame
			if errnoOf(o.err) != syscall.EBADMSG {
				t.Errorf("item %d: %+v, want EBADMSG", i, o)
			}
		case 9: // a reply that does not decode
			if o.err == nil {
				t.Errorf("item %d: %+v, want an error", i, o)
			}
		default:
			if o.err != nil || o.reply != strconv.Itoa(i) {
				t.Errorf("item %d: %+v", i, o)
			}
		}
	}
	m, err := w.call("version", numbered(n))
	if v, _ := m.Get("n"); err != nil || v != strconv.Itoa(n) {
		t.Errorf("the call after: %v, %v", v, err)
	}
	if requests != n+1 {
		t.Errorf("the daemon read %d requests, want %d", requests, n+1)
	}
}

// TestPipelineLockstepDaemon has a daemon that reads a request, writes its
// reply and only then reads the next, with large requests and replies:
// the socket buffers fill both ways, and a client that does not read
// while it writes waits forever.
func TestPipelineLockstepDaemon(t *testing.T) {
	const n = 200
	pad := strings.Repeat("x", 20000)
	req := func(i int) *vici.Message { return numbered(i).Set("pad", pad) }
	w := pipeServer(t, func(c net.Conn, sw *wire) {
		for i := range n {
			p, err := sw.recv()
			if err != nil {
				t.Errorf("daemon: %v after %d requests", err, i)
				return
			}
			if err := writeFrame(c, pktCmdResponse, "", p.msg); err != nil {
				t.Errorf("daemon: %v", err)
				return
			}
		}
	})
	got := collect(w, n, req)
	if len(got) != n {
		t.Fatalf("%d outcomes, want %d", len(got), n)
	}
	for i, o := range got {
		if o.err != nil || o.reply != strconv.Itoa(i) {
			t.Fatalf("item %d: %+v", i, o)
		}
	}
}

// TestLoadValueTooLong prints libvici's builder lines for a connection
// with values too long for VICI and fails it with EINVAL, as Debian's
// swanctl does, without sending it.
func TestLoadValueTooLong(t *testing.T) {
	d := newFakeDaemon(t)
	d.reply("get-conns", vici.NewMessage().SetList("conns", nil))
	d.reply("load-conn", vici.NewMessage().Set("success", "yes"))
	long := strings.Repeat("x", 70000)
	conf := "connections {\n a { remote_addrs = 192.0.2.1 }\n" +
		" b { remote_addrs = " + long + ", " + long + "1\n local { id = " + long + "22 } }\n" +
		" c { }\n}\n"
	file := filepath.Join(t.TempDir(), "swanctl.conf")
	if err := os.WriteFile(file, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runSwanctl(t, nil, "--load-conns", "--file", file, "--uri", d.uri)
	wantErr := "vici value exceeds size limit (70000 > 65535)\n" +
		"vici value exceeds size limit (70001 > 65535)\n" +
		"vici value exceeds size limit (70002 > 65535)\n" +
		"vici builder error: 3 errors (section: 0, list 0)\n" +
		"load-conn request failed: Invalid argument\n" +
		"loaded 2 of 3 connections, 1 failed to load, 0 unloaded\n"
	if r.err != wantErr || r.rc != 22 {
		t.Errorf("rc %d, stderr:\n%s\nwant rc 22, stderr:\n%s", r.rc, r.err, wantErr)
	}
	if r.out != "loaded connection 'a'\nloaded connection 'c'\n" {
		t.Errorf("stdout:\n%s", r.out)
	}
	for _, c := range d.log() {
		if strings.Contains(c, "b {") {
			t.Errorf("sent: %.80s", c)
		}
	}
}
