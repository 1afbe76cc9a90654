package pool

import (
	"errors"
	"net/netip"
	"slices"
	"testing"

	"github.com/charond/charond/identity"
)

func names(m *Manager) []string {
	var out []string
	for _, in := range m.Snapshot(Query{}) {
		out = append(out, in.Name)
	}
	return out
}

func TestReload(t *testing.T) {
	dns := Attribute{Type: InternalIP4DNS, Value: []byte{1, 1, 1, 1}}
	tests := []struct {
		name    string
		online  int // leases acquired from "p" before the reload
		offline int // of those, released again
		addrs   string
		action  Action
		err     error
		leases  int // leases of "p" afterwards
		attrs   int // attributes of "p" afterwards
		base    string
	}{
		{"identical, no leases", 0, 0, "10.3.0.0/28", Updated, nil, 0, 1, "10.3.0.1"},
		{"identical with online leases", 2, 0, "10.3.0.0/28", Updated, nil, 2, 1, "10.3.0.1"},
		{"same range written as a range", 2, 1, "10.3.0.1-10.3.0.14", Updated, nil, 2, 1,
			"10.3.0.1"},
		{"changed range, offline only", 2, 2, "10.4.0.0/28", Replaced, nil, 0, 1, "10.4.0.1"},
		{"changed size, offline only", 1, 1, "10.3.0.0/27", Replaced, nil, 0, 1, "10.3.0.1"},
		{"changed range, online lease", 2, 1, "10.4.0.0/28", Refused, ErrOnlineLeases, 2, 0,
			"10.3.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewManager()
			mustLoad(t, m, "p", "10.3.0.0/28")
			mustLoad(t, m, "q", "10.5.0.0/28")
			for i := 0; i < tt.online; i++ {
				id := identity.Parse("user" + string(rune('a'+i)))
				g := m.Acquire([]string{"p"}, id, any4, ep("192.0.2.1:500"))
				if i < tt.offline {
					m.Release([]string{"p"}, id, g.Addr)
				}
			}
			r, _, err := ParseAddrs(tt.addrs)
			if err != nil {
				t.Fatal(err)
			}
			res, err := m.Load("p", r, []Attribute{dns})
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if res.Action != tt.action {
				t.Errorf("action %d, want %d", res.Action, tt.action)
			}
			if tt.action == Refused && res.Online != tt.online-tt.offline {
				t.Errorf("online %d, want %d", res.Online, tt.online-tt.offline)
			}
			if got := names(m); !slices.Equal(got, []string{"q", "p"}) {
				t.Errorf("order %q, want p moved last", got)
			}
			in := m.Snapshot(Query{Name: "p", ByName: true, Leases: true})[0]
			if len(in.Leases) != tt.leases || in.Range.Base.String() != tt.base {
				t.Errorf("leases %d base %v, want %d %s", len(in.Leases), in.Range.Base,
					tt.leases, tt.base)
			}
			vip := in.Range.Base
			if got := len(m.Attributes([]string{"p"}, []netip.Addr{vip})); got != tt.attrs {
				t.Errorf("attributes %d, want %d", got, tt.attrs)
			}
		})
	}
}

func TestUnload(t *testing.T) {
	tests := []struct {
		name    string
		unload  string
		online  bool
		offline bool
		err     error
		order   []string
	}{
		{"unknown", "zz", false, false, ErrNotFound, []string{"a", "b", "c"}},
		{"empty name", "", false, false, ErrNotFound, []string{"a", "b", "c"}},
		{"no leases", "a", false, false, nil, []string{"b", "c"}},
		{"offline leases only", "a", false, true, nil, []string{"b", "c"}},
		{"online lease refused, moved last", "a", true, false, ErrOnlineLeases,
			[]string{"b", "c", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewManager()
			for _, n := range []string{"a", "b", "c"} {
				mustLoad(t, m, n, "10.3.0.0/28")
			}
			id := identity.Parse("carol")
			if tt.online || tt.offline {
				g := m.Acquire([]string{"a"}, id, any4, ep("192.0.2.1:500"))
				if tt.offline {
					m.Release([]string{"a"}, id, g.Addr)
				}
			}
			online, err := m.Unload(tt.unload)
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if tt.online && online != 1 {
				t.Errorf("online %d, want 1", online)
			}
			if got := names(m); !slices.Equal(got, tt.order) {
				t.Errorf("order %q, want %q", got, tt.order)
			}
		})
	}
}

func TestUnloadDropsOfflineLeases(t *testing.T) {
	m := NewManager()
	mustLoad(t, m, "a", "10.3.0.0/28")
	carol, dave := identity.Parse("carol"), identity.Parse("dave")
	g := m.Acquire([]string{"a"}, carol, any4, ep("192.0.2.1:500"))
	m.Release([]string{"a"}, carol, g.Addr)
	if _, err := m.Unload("a"); err != nil {
		t.Fatal(err)
	}
	mustLoad(t, m, "a", "10.3.0.0/28")
	// dave now gets carol's old address: it is never-used again.
	g = m.Acquire([]string{"a"}, dave, any4, ep("192.0.2.2:500"))
	if g.Addr.String() != "10.3.0.1" || g.How != AssignedNew {
		t.Errorf("after unload got %v %d, want 10.3.0.1 new", g.Addr, g.How)
	}
}

func TestSnapshotFilter(t *testing.T) {
	m := NewManager()
	mustLoad(t, m, "a", "10.1.0.0/24")
	mustLoad(t, m, "b", "10.2.0.0/24")
	mustLoad(t, m, "a", "10.1.0.0/24") // updated: moves last
	tests := []struct {
		q    Query
		want []string
	}{
		{Query{}, []string{"b", "a"}},
		{Query{Name: "a", ByName: true}, []string{"a"}},
		{Query{Name: "", ByName: true}, nil},
		{Query{Name: "A", ByName: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.q.Name, func(t *testing.T) {
			var got []string
			for _, in := range m.Snapshot(tt.q) {
				got = append(got, in.Name)
				if in.Leases != nil {
					t.Errorf("leases listed without asking")
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if l := m.Snapshot(Query{Leases: true})[0].Leases; l == nil || len(l) != 0 {
		t.Errorf("leases of an empty pool: %v, want empty non-nil", l)
	}
}

func TestLoadRefusesEmptyRange(t *testing.T) {
	if _, err := NewManager().Load("x", Range{}, nil); !errors.Is(err, ErrInvalidAddrs) {
		t.Errorf("error %v, want ErrInvalidAddrs", err)
	}
}
