package proxy

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	govici "github.com/strongswan/govici/vici"

	"github.com/charond/charond/vici"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProxyRecords(t *testing.T) {
	dir := t.TempDir()
	srv := vici.NewServer(nil, vici.Limits{})
	srv.Handle("list", func(_ context.Context, r *vici.Request) *vici.Message {
		r.Emit("list-conn", vici.NewMessage().SetSection("rw",
			vici.NewMessage().SetList("local_addrs", []string{"%any"})))
		return vici.NewMessage()
	})
	l, err := vici.Listen("unix://"+filepath.Join(dir, "d.vici"),
		vici.ListenOptions{UID: -1, GID: -1})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	defer srv.Close()

	var rec syncBuffer
	p, err := Start("unix://"+filepath.Join(dir, "p.vici"),
		"unix://"+filepath.Join(dir, "d.vici"), &rec)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()

	s, err := govici.NewSession(govici.WithSocketPath(filepath.Join(dir, "p.vici")))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Subscribe("list-conn"); err != nil {
		t.Fatal(err)
	}
	in := govici.NewMessage()
	in.Set("ike", "rw\x01")
	if _, err := s.Call(ctx, "list", in); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Call(ctx, "nope", nil); err == nil {
		t.Fatal("unknown command succeeded through the proxy")
	}
	s.Close()

	want := []string{
		"#1 > EVENT_REGISTER list-conn",
		"#1 < EVENT_CONFIRM",
		"#1 > CMD_REQUEST list {ike=0x727701}",
		"#1 < EVENT list-conn {rw {local_addrs=[%any]}}",
		"#1 < CMD_RESPONSE {}",
		"#1 > CMD_REQUEST nope {}",
		"#1 < CMD_UNKNOWN",
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := strings.Split(strings.TrimSpace(rec.String()), "\n")
		if strings.Join(got, "\n") == strings.Join(want, "\n") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("record:\n%s\nwant:\n%s", rec.String(), strings.Join(want, "\n"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
