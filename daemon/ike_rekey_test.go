package daemon

import (
	"testing"

	"github.com/charond/charond/vici"
)

func TestIKERekeyEvent(t *testing.T) {
	var names []string
	var msgs []*vici.Message
	d := New(Options{})
	e := &ikeEvents{counters: d.counters, emit: func(n string, m *vici.Message) {
		names, msgs = append(names, n), append(msgs, m)
	}}
	old, n := testSA(), testSA()
	old.Children = nil
	n.Unique = old.Unique + 1
	e.IKERekey(old, n)
	if len(names) != 1 || names[0] != "ike-rekey" {
		t.Fatalf("events %v", names)
	}
	rw := msgs[0].Section("rw")
	o, nw := rw.Section("old"), rw.Section("new")
	if o == nil || nw == nil {
		t.Fatalf("ike-rekey keys %v", rw.Keys())
	}
	if v, _ := o.Get("state"); v != "REKEYED" {
		t.Errorf("old state %q", v)
	}
	if v, _ := nw.Get("uniqueid"); v != u32(n.Unique) ||
		nw.Section("child-sas").Section("net-4") == nil {
		t.Errorf("new IKE_SA: %v", nw.Keys())
	}
}
