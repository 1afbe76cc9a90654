package daemon

import (
	"context"
	"testing"

	"github.com/charond/charond/vici"
)

// handlers records what a Daemon registers, so tests call commands directly.
type handlers map[string]vici.HandlerFunc

func (h handlers) Handle(command string, f vici.HandlerFunc) { h[command] = f }

// emitted is one event a streamed command sent.
type emitted struct {
	Name    string
	Message *vici.Message
}

// newTestDaemon returns a daemon with empty stores and its handlers.
func newTestDaemon(t *testing.T, opts Options) (*Daemon, handlers) {
	t.Helper()
	d := New(opts)
	h := handlers{}
	d.Register(h)
	return d, h
}

// call runs a command and returns its reply and the events it streamed.
func (h handlers) call(t *testing.T, cmd string, m *vici.Message) (*vici.Message, []emitted) {
	t.Helper()
	f, ok := h[cmd]
	if !ok {
		t.Fatalf("command %q not registered", cmd)
	}
	var evs []emitted
	req := vici.NewRequest(cmd, m, func(name string, ev *vici.Message) bool {
		evs = append(evs, emitted{name, ev})
		return true
	})
	return f(context.Background(), req), evs
}
