package daemon

import (
	"context"
	"fmt"
	"testing"

	"github.com/charond/charond/conn"
	"github.com/charond/charond/ike"
	"github.com/charond/charond/vici"
)

// Replies as Debian's strongSwan 5.9.8 sends them with no SA established.
func TestSACommandsWithoutSAs(t *testing.T) {
	d, h := newTestDaemon(t, Options{})
	d.conns.Load(&conn.Config{Name: "gw", Children: []conn.Child{{Name: "net"}}})
	steps := []struct {
		cmd  string
		req  *vici.Message
		want string
	}{
		{"initiate", nil, "{success=no errmsg=missing configuration name}"},
		{"initiate", sec("child", "x"), "{success=no errmsg=CHILD_SA config 'x' not found}"},
		{"initiate", sec("ike", "x"), "{success=no errmsg=IKE_SA config 'x' not found}"},
		{"initiate", sec("child", "net", "ike", "other"),
			"{success=no errmsg=CHILD_SA config 'net' not found}"},
		{"initiate", sec("child", "net"), "{success=no errmsg=establishing CHILD_SA 'net' failed}"},
		{"terminate", nil, "{success=no errmsg=missing terminate selector}"},
		{"terminate", sec("ike", "gw"),
			"{success=no matches=0 terminated=0 errmsg=no matching SAs to terminate found}"},
		{"rekey", sec("ike-id", "junk"), "{success=no errmsg=missing rekey selector}"},
		{"rekey", sec("ike-id", "010"),
			"{success=no matches=0 errmsg=no matching SAs to rekey found}"},
		{"redirect", nil, "{success=no errmsg=missing target gateway}"},
		{"redirect", sec("gateway", "a@b"), "{success=no errmsg=unsupported gateway identity}"},
		{"redirect", sec("gateway", "gw.example", "peer-ip", "10.0.0.9-fec0::1"),
			"{success=no errmsg=invalid peer IP selector}"},
		{"redirect", sec("gateway", "gw.example"), "{success=no errmsg=missing redirect selector}"},
		{"install", sec("ike", "gw"), "{success=no errmsg=missing configuration name}"},
		{"install", sec("child", "x"), "{success=no errmsg=configuration name not found}"},
		{"uninstall", sec("child", "net"), "{success=no errmsg=policy 'net' not found}"},
		{"list-sas", sec("noblock", "no"), "{}"},
		{"list-policies", sec("trap", ""), "{}"},
	}
	for _, s := range steps {
		r, evs := h.call(t, s.cmd, s.req)
		if connRaw(r) != s.want || len(evs) != 0 {
			t.Errorf("%s %s: got %s (%d events), want %s", s.cmd, connRaw(s.req), connRaw(r),
				len(evs), s.want)
		}
	}
}

// someSAs is an SAManager with SAs that do not all go away.
type someSAs struct{ noSAs }

func (someSAs) Terminate(context.Context, Selector, bool, func(ike.ControlLog)) (int, int) {
	return 3, 2
}
func (someSAs) Rekey(Selector, bool) int { return 2 }

func TestSACommandsWithSAs(t *testing.T) {
	d, h := newTestDaemon(t, Options{})
	d.sas = someSAs{}
	r, _ := h.call(t, "terminate", sec("child-id", "4"))
	if got := connRaw(r); got != "{success=no matches=3 terminated=2 "+
		"errmsg=not all matching SAs could be terminated}" {
		t.Errorf("terminate: %s", got)
	}
	if r, _ = h.call(t, "rekey", sec("child", "c")); connRaw(r) != "{success=yes matches=2}" {
		t.Errorf("rekey: %s", connRaw(r))
	}
}

func TestCounters(t *testing.T) {
	d, h := newTestDaemon(t, Options{})
	d.counters.Count("gw", 5) // ike-init-in-req
	r, _ := h.call(t, "get-counters", sec("name", "gw"))
	if v, _ := r.Section("counters").Section("gw").Get("ike-init-in-req"); v != "1" {
		t.Fatalf("get-counters gw: %s", connRaw(r))
	}
	r, _ = h.call(t, "get-counters", nil)
	if v, _ := r.Section("counters").Section("").Get("ike-init-in-req"); v != "1" ||
		r.Section("counters").Section("").Len() != 21 {
		t.Fatalf("get-counters: %s", connRaw(r))
	}
	h.call(t, "reset-counters", sec("all", "yes"))
	if r, _ = h.call(t, "get-counters", sec("name", "gw")); connRaw(r) !=
		"{counters {} success=no errmsg=no counters found for this connection}" {
		t.Fatalf("after reset: %s", connRaw(r))
	}
}

func TestAlgorithmsSections(t *testing.T) {
	_, h := newTestDaemon(t, Options{})
	r, _ := h.call(t, "get-algorithms", nil)
	want := "encryption integrity aead hasher prf xof kdf drbg dh rng nonce-gen"
	if got := fmt.Sprint(r.Keys()); got != "["+want+"]" {
		t.Fatalf("sections %s, want %s", got, want)
	}
}
