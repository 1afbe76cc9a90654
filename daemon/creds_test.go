package daemon

import (
	"testing"

	"github.com/charond/charond/identity"
	"github.com/charond/charond/vici"
)

// Replies as Debian's strongSwan 5.9.8 sends them for the same sequence.
func TestSharedCommands(t *testing.T) {
	d, h := newTestDaemon(t, Options{})
	steps := []struct {
		cmd  string
		req  *vici.Message
		want string
	}{
		{"load-shared", nil, "{success=no errmsg=shared key type missing}"},
		{"load-shared", sec("type", "bogus"), "{success=no errmsg=invalid shared key type: bogus}"},
		{"load-shared", sec("type", "IKE"), "{success=no errmsg=shared key data missing}"},
		{"load-shared", sec("data", "x"), "{success=no errmsg=shared key type missing}"},
		{"load-shared", sec("type", "ike", "data", "s", "owners", []string{"a@b", "c"}),
			"{success=yes}"},
		{"load-shared", sec("type", "eap", "data", "s", "id", "k1"), "{success=yes}"},
		{"load-shared", sec("type", "ppk", "data", "s", "id", "k2", "owners", []string{}),
			"{success=yes}"},
		{"load-shared", sec("type", "xauth", "data", "s2", "id", "k1"), "{success=yes}"},
		{"get-shared", nil, "{keys=[k1 k2]}"},
		{"unload-shared", nil, "{success=no errmsg=unique identifier missing}"},
		{"unload-shared", sec("id", "nope"), "{success=yes}"},
		{"unload-shared", sec("id", "k1"), "{success=yes}"},
		{"get-shared", nil, "{keys=[k2]}"},
		{"get-keys", nil, "{keys=[]}"},
		{"get-authorities", nil, "{authorities=[]}"},
		{"clear-creds", nil, "{success=yes}"},
		{"get-shared", nil, "{keys=[]}"},
	}
	for _, s := range steps {
		if r, _ := h.call(t, s.cmd, s.req); connRaw(r) != s.want {
			t.Fatalf("%s %s: got %s, want %s", s.cmd, connRaw(s.req), connRaw(r), s.want)
		}
	}
	if _, ok := d.creds.Lookup("ike", identity.Parse("a@b"), identity.Identity{}); ok {
		t.Error("clear-creds left the anonymous ike secret")
	}
}
