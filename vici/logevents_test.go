package vici

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	govici "github.com/strongswan/govici/vici"
)

func TestLogEvents(t *testing.T) {
	var out bytes.Buffer
	h := NewLogHandler(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	log := slog.New(h)
	s := NewServer(log, Limits{})
	lctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.Start(lctx, s)
	path := t.TempDir() + "/s.vici"
	l, err := Listen("unix://"+path, ListenOptions{UID: -1, GID: -1})
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	defer s.Close()

	sess, err := govici.NewSession(govici.WithSocketPath(path))
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	events := make(chan govici.Event, 16)
	sess.NotifyEvents(events)
	if err := sess.Subscribe("log"); err != nil {
		t.Fatal(err)
	}
	log.Debug("not exported", "subsys", "cfg")
	log.With("subsys", "cfg").Info("added vici pool", "name", "p1")
	log.Warn("something odd")
	want := []struct{ group, level, msg string }{
		{"CFG", "1", "added vici pool name=p1"},
		{"DMN", "0", "something odd"},
	}
	for _, w := range want {
		select {
		case ev := <-events:
			m := ev.Message
			if got := strings.Join(m.Keys(), ","); got != "group,level,thread,msg" {
				t.Fatalf("keys = %s", got)
			}
			if m.Get("group") != w.group || m.Get("level") != w.level || m.Get("msg") != w.msg {
				t.Fatalf("event = %v %v %v", m.Get("group"), m.Get("level"), m.Get("msg"))
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no log event for %q", w.msg)
		}
	}
	// Nothing logs into out once the server has stopped.
	sess.Close()
	s.Close()
	if !strings.Contains(out.String(), "not exported") {
		t.Fatal("debug record missing from the log itself")
	}
}
