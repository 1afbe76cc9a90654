package daemon

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charond/charond/vici"
)

// A connection whose list-conn event cannot be sent is refused at load,
// and the one loaded before under its name stays.
func TestLoadConnRefusesUnlistable(t *testing.T) {
	children := vici.NewMessage()
	for i := range 5000 {
		children.SetSection(fmt.Sprintf("c%d", i), vici.NewMessage())
	}
	tests := []struct {
		name   string
		body   *vici.Message
		reason string
	}{
		{"5000 children", sec("children", children), "exceeds 524288"},
		{"72 KB id", sec("local", sec("id", "CN=a"+strings.Repeat(",OU=x", 12000))),
			"exceeds 65535"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, h, logs := newPoolDaemon(t)
			old := sec("big", sec("version", "2"))
			if r, _ := h.call(t, "load-conn", old); connRaw(r) != "{success=yes}" {
				t.Fatalf("first load: %s", connRaw(r))
			}
			logs.Reset()
			r, _ := h.call(t, "load-conn", sec("big", tt.body))
			if got := connRaw(r); got !=
				"{success=no errmsg=config too large to list: big, config discarded}" {
				t.Fatalf("oversize load: %s", got)
			}
			if l := logs.String(); strings.Count(l, "\n") != 1 ||
				!strings.Contains(l, tt.reason) || !strings.Contains(l, "subsys=cfg") {
				t.Errorf("log: %q", l)
			}
			_, evs := h.call(t, "list-conns", nil)
			if len(evs) != 1 {
				t.Fatalf("list-conns: %d events", len(evs))
			}
			c := evs[0].Message.Section("big")
			if c == nil {
				t.Fatalf("list-conns: %s", connRaw(evs[0].Message))
			}
			if v, _ := c.Get("version"); v != "IKEv2" {
				t.Errorf("the connection loaded before changed: %s", connRaw(evs[0].Message))
			}
			if _, err := evs[0].Message.Encode(); err != nil {
				t.Error(err)
			}
		})
	}
}
