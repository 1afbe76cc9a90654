package tests

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	govici "github.com/strongswan/govici/vici"

	"github.com/charond/charond/loadgen"
)

// hardDeepFrame is a version request nested depth sections deep.
func hardDeepFrame(depth int) []byte {
	payload := []byte{0, 7, 'v', 'e', 'r', 's', 'i', 'o', 'n'}
	for range depth {
		payload = append(payload, 1, 1, 's')
	}
	for range depth {
		payload = append(payload, 2)
	}
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(payload))), payload...)
}

func hardSession(t *testing.T, path string) *govici.Session {
	t.Helper()
	s, err := govici.NewSession(govici.WithSocketPath(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// The load tool, briefly, against the built daemon: every reply right,
// nothing lost, every client gone afterwards.
func TestHardLoadTool(t *testing.T) {
	d := startHard(t, "", "", true)
	rep, err := loadgen.Run(context.Background(), loadgen.Config{Socket: d.Path,
		Clients: 100, Duration: 3 * time.Second, Garbage: 5, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.GarbageKept != 0 || rep.Requests == 0 {
		var b strings.Builder
		loadgen.Print(&b, rep)
		t.Fatalf("load run:\n%s", b.String())
	}
	if rep.After.Goroutines != rep.Before.Goroutines || rep.After.Clients != 1 {
		t.Fatalf("daemon did not return to its idle state: before %v, after %v",
			rep.Before, rep.After)
	}
}

// SIGTERM while clients are busy: the daemon exits 0 promptly, removes its
// socket, and no client gets a wrong reply, only a closed connection.
func TestHardSIGTERMUnderLoad(t *testing.T) {
	d := startHard(t, "", "", true)
	var wrong, ok atomic.Int64
	var wg sync.WaitGroup
	for i := range 30 {
		s := hardSession(t, d.Path)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; ; j++ {
				name := fmt.Sprintf("hard-term-%d-%d", i, j%3)
				pool := govici.NewMessage()
				pool.Set("addrs", fmt.Sprintf("10.%d.%d.0/28", 1+i, j%3))
				in := govici.NewMessage()
				in.Set(name, pool)
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				out, err := s.Call(ctx, "load-pool", in)
				cancel()
				if err != nil {
					if out != nil { // a reply, and a failure: wrong
						wrong.Add(1)
					}
					return
				}
				ok.Add(1)
			}
		}()
	}
	// A raw client with many requests in the pipe: the replies it gets
	// must be whole frames, however the shutdown cuts the stream.
	raw, err := net.Dial("unix", d.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	req := []byte{0, 0, 0, 9, 0, 7, 'v', 'e', 'r', 's', 'i', 'o', 'n'}
	go func() {
		for range 20000 {
			if _, err := raw.Write(req); err != nil {
				return
			}
		}
	}()
	replies := make(chan error, 1)
	go func() {
		raw.SetReadDeadline(time.Now().Add(30 * time.Second))
		var hdr [4]byte
		for {
			if _, err := io.ReadFull(raw, hdr[:]); err != nil {
				if errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) {
					err = nil
				}
				replies <- err
				return
			}
			body := make([]byte, binary.BigEndian.Uint32(hdr[:]))
			if _, err := io.ReadFull(raw, body); err != nil || body[0] != 1 {
				replies <- fmt.Errorf("cut or wrong reply (%v, % x)", err, body[:min(1, len(body))])
				return
			}
		}
	}()
	time.Sleep(time.Second)
	if err := d.stop(10 * time.Second); err != nil {
		t.Fatalf("charond exited with %v; log:\n%s", err, d.log)
	}
	wg.Wait()
	if wrong.Load() != 0 || ok.Load() == 0 {
		t.Fatalf("%d failure replies, %d good ones", wrong.Load(), ok.Load())
	}
	if err := <-replies; err != nil {
		t.Fatalf("pipelining client: %v", err)
	}
	if !strings.Contains(d.log.String(), "charond stopped") {
		t.Fatalf("no clean stop in log:\n%s", d.log)
	}
	if _, err := os.Stat(d.Path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("socket left behind: %v", err)
	}
}

// SIGHUP and reload-settings re-read strongswan.conf: connected clients stay
// connected, and a changed limit applies to the next request.
func TestHardReloadKeepsClients(t *testing.T) {
	d := startHard(t, "", "", true)
	s := hardSession(t, d.Path)
	if err := s.Subscribe("log"); err != nil {
		t.Fatal(err)
	}
	if hardRawClosed(t, d.Path, hardDeepFrame(20)) {
		t.Fatal("depth 20 refused under the default limit of 64")
	}
	conf := []byte("charond { vici { max_depth = 8 } }\n")
	if err := os.WriteFile(d.Conf, conf, 0o644); err != nil {
		t.Fatal(err)
	}
	d.cmd.Process.Signal(syscall.SIGHUP)
	d.waitLog("vici limits changed")
	if _, err := s.Call(callCtx(t), "version", nil); err != nil {
		t.Fatalf("client dropped by SIGHUP: %v", err)
	}
	if !hardRawClosed(t, d.Path, hardDeepFrame(20)) {
		t.Fatal("depth 20 still accepted after the limit became 8")
	}
	d.waitLog("vici request exceeds limit")
	if err := os.WriteFile(d.Conf, []byte("charond { log_level = info }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Call(callCtx(t), "reload-settings", nil); err != nil {
		t.Fatalf("reload-settings: %v", err)
	}
	if hardRawClosed(t, d.Path, hardDeepFrame(20)) {
		t.Fatal("depth 20 refused after reload-settings restored the default")
	}
	if _, err := s.Call(callCtx(t), "version", nil); err != nil {
		t.Fatalf("client dropped by reload-settings: %v", err)
	}
	// A broken file is refused and changes nothing.
	if err := os.WriteFile(d.Conf, []byte("charond { vici {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d.cmd.Process.Signal(syscall.SIGHUP)
	d.waitLog("reloading settings failed")
	if _, err := s.Call(callCtx(t), "reload-settings", nil); err == nil {
		t.Fatal("reload-settings of a broken file succeeded")
	}
	if _, err := s.Call(callCtx(t), "version", nil); err != nil {
		t.Fatalf("client dropped by a failed reload: %v", err)
	}
	if hardRawClosed(t, d.Path, hardDeepFrame(20)) {
		t.Fatal("a failed reload changed the limits")
	}
}

// Limits set in strongswan.conf bite, with a log line, and the daemon
// goes on serving the clients within them.
func TestHardLimitsFromSettings(t *testing.T) {
	d := startHard(t, "charond { vici { max_clients = 4\n max_message_size = 2048 } }\n", "", true)
	s := hardSession(t, d.Path)
	big := govici.NewMessage()
	big.Set("x", strings.Repeat("x", 3000))
	if _, err := s.Call(callCtx(t), "version", big); err == nil {
		t.Fatal("a 3000-byte request passed a 2048-byte limit")
	}
	d.waitLog("vici message length exceeds limit")
	// The oversize request cost s its connection; s2 and three raw
	// connections fill the four places.
	s2 := hardSession(t, d.Path)
	for range 3 {
		c, err := net.Dial("unix", d.Path)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	d.waitLog("client=5")
	if !hardRawClosed(t, d.Path, hardDeepFrame(1)) {
		t.Fatal("a fifth client was served with max_clients = 4")
	}
	d.waitLog("too many clients")
	if _, err := s2.Call(callCtx(t), "version", nil); err != nil {
		t.Fatalf("client within the limit not served: %v", err)
	}
}

// A second daemon never takes a live daemon's socket; a socket left by a
// killed daemon is taken over.
func TestHardLiveSocketNotStolen(t *testing.T) {
	a := startHard(t, "", "", true)
	b := startHard(t, "", a.URI, false)
	if err := b.exited(10 * time.Second); err == nil {
		t.Fatalf("second daemon on a live socket exited 0; log:\n%s", b.log)
	}
	if !strings.Contains(b.log.String(), "socket in use") {
		t.Fatalf("second daemon's error:\n%s", b.log)
	}
	if _, err := hardSession(t, a.Path).Call(callCtx(t), "version", nil); err != nil {
		t.Fatalf("first daemon lost its socket: %v", err)
	}
	a.cmd.Process.Kill()
	a.exited(10 * time.Second)
	if _, err := os.Stat(a.Path); err != nil {
		t.Fatalf("killed daemon left no socket to recover: %v", err)
	}
	c := startHard(t, "", a.URI, true)
	if _, err := hardSession(t, c.Path).Call(callCtx(t), "version", nil); err != nil {
		t.Fatalf("daemon on a recovered socket: %v", err)
	}
}

// tcp:// is refused on anything but loopback unless the operator allows it.
func TestHardTCPOnlyLoopback(t *testing.T) {
	d := startHard(t, "", "tcp://192.0.2.1:4502", false)
	if err := d.exited(10 * time.Second); err == nil ||
		!strings.Contains(d.log.String(), "not a loopback address") {
		t.Fatalf("non-loopback tcp: %v\n%s", err, d.log)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	lo := startHard(t, "", "tcp://"+addr, true)
	s, err := govici.NewSession(govici.WithAddr("tcp", addr))
	if err != nil {
		t.Fatalf("loopback tcp: %v\n%s", err, lo.log)
	}
	defer s.Close()
	if _, err := s.Call(callCtx(t), "version", nil); err != nil {
		t.Fatal(err)
	}
}

// charond runs with its soft limit on open files at the hard limit, as
// every client costs one, and says so.
func TestHardFileLimitRaised(t *testing.T) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Fatal(err)
	}
	if rl.Max <= 256 {
		t.Fatalf("hard file limit %d leaves nothing to raise; run with a higher one", rl.Max)
	}
	// The child inherits a lowered soft limit; ours is restored at once.
	low := rl
	low.Cur = 256
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Fatal(err)
	}
	d := startHard(t, "", "", false)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Fatal(err)
	}
	d.waitLog(fmt.Sprintf("open file limit\" subsys=dmn limit=%d", rl.Max))
}

// Out of descriptors, charond stops accepting for a while, says so, keeps
// serving the clients it has and takes the waiting ones once some leave.
func TestHardOutOfDescriptors(t *testing.T) {
	d := startHard(t, "", "", true)
	// Restart it under a shell that caps its descriptors, keeping the
	// harness's log and clean-up.
	d.stop(10 * time.Second)
	d.log = &hardLogBuffer{}
	d.done = make(chan error, 1)
	d.cmd = exec.Command("/bin/sh", "-c", `ulimit -n 48 && exec "$0" "$@"`,
		filepath.Join(binDir, "charond"), "--config", d.Conf, "--uri", d.URI,
		"--log-level", "debug")
	d.cmd.Stderr = d.log
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { d.done <- d.cmd.Wait() }()
	d.waitLog("charond starting")
	d.waitLog("open file limit below max_clients")
	first := hardSession(t, d.Path)
	var conns []net.Conn
	for range 60 {
		c, err := net.Dial("unix", d.Path)
		if err != nil {
			t.Fatalf("dial refused while the daemon is out of descriptors: %v", err)
		}
		conns = append(conns, c)
	}
	d.waitLog("accepting vici client failed, retrying")
	if _, err := first.Call(callCtx(t), "version", nil); err != nil {
		t.Fatalf("connected client not served while out of descriptors: %v", err)
	}
	for _, c := range conns {
		c.Close()
	}
	late := hardSession(t, d.Path)
	if _, err := late.Call(callCtx(t), "version", nil); err != nil {
		t.Fatalf("client after descriptors freed: %v", err)
	}
}
