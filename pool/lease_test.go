package pool

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/charond/charond/identity"
)

var any4 = netip.IPv4Unspecified()

func ep(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

func mustLoad(t testing.TB, m *Manager, name, addrs string, attrs ...Attribute) {
	t.Helper()
	r, _, err := ParseAddrs(addrs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Load(name, r, attrs); err != nil {
		t.Fatal(err)
	}
}

// step is one acquire ("+") or release ("-") in a lease scenario.
type step struct {
	op    byte
	id    string
	peer  string // acquire only
	req   string // requested address, acquire; the address to release
	want  string // expected address ("" none); for releases "offline", "online" or "none"
	how   How
	prev  string   // TookOver: the previous owner
	full  []string // pools reported full
	pools []string // overrides the scenario's pools
}

func runSteps(t *testing.T, m *Manager, pools []string, steps []step) {
	t.Helper()
	for i, s := range steps {
		ps := pools
		if s.pools != nil {
			ps = s.pools
		}
		id := identity.Parse(s.id)
		switch s.op {
		case '+':
			g := m.Acquire(ps, id, netip.MustParseAddr(s.req), ep(s.peer))
			got := ""
			if g.Addr.IsValid() {
				got = g.Addr.String()
			}
			if got != s.want || g.How != s.how || !slices.Equal(g.Full, s.full) {
				t.Fatalf("step %d: acquire by %s got %q how %d full %q; want %q how %d full %q",
					i, s.id, got, g.How, g.Full, s.want, s.how, s.full)
			}
			if s.how == TookOver && g.PrevOwner != identity.Parse(s.prev) {
				t.Fatalf("step %d: previous owner %v, want %s", i, g.PrevOwner, s.prev)
			}
		case '-':
			rel, ok := m.Release(ps, id, netip.MustParseAddr(s.req))
			got := "none"
			if ok && rel.WentOffline {
				got = "offline"
			} else if ok {
				got = "online"
			}
			if got != s.want {
				t.Fatalf("step %d: release by %s of %s: %s, want %s", i, s.id, s.req, got, s.want)
			}
		}
	}
}

// leaseList renders a pool's leases as "addr identity status" lines.
func leaseList(m *Manager, name string) []string {
	var out []string
	for _, in := range m.Snapshot(Query{Name: name, ByName: true, Leases: true}) {
		for _, l := range in.Leases {
			st := "offline"
			if l.Online {
				st = "online"
			}
			out = append(out, l.Addr.String()+" "+l.Identity.String()+" "+st)
		}
	}
	return out
}

func TestLeasePasses(t *testing.T) {
	const (
		carol = "carol@strongswan.org"
		dave  = "dave@strongswan.org"
		eve   = "eve@strongswan.org"
		p1    = "192.0.2.1:4500"
		p2    = "192.0.2.2:4500"
		p3    = "192.0.2.3:4500"
	)
	tests := []struct {
		name   string
		pools  map[string]string // name -> addrs, loaded in sorted order
		use    []string
		steps  []step
		leases map[string][]string
	}{{
		name:  "reconnect gets the same address",
		pools: map[string]string{"a": "10.3.0.0/28"}, use: []string{"a"},
		steps: []step{
			{op: '+', id: carol, peer: p1, req: "0.0.0.0", want: "10.3.0.1", how: AssignedNew},
			{op: '+', id: dave, peer: p2, req: "0.0.0.0", want: "10.3.0.2", how: AssignedNew},
			{op: '-', id: carol, req: "10.3.0.1", want: "offline"},
			{op: '+', id: carol, peer: p3, req: "10.3.0.9", want: "10.3.0.1",
				how: ReassignedOffline},
		},
		leases: map[string][]string{"a": {
			"10.3.0.1 carol@strongswan.org online", "10.3.0.2 dave@strongswan.org online"}},
	}, {
		name:  "two endpoints of one identity get two addresses",
		pools: map[string]string{"a": "10.3.0.0/28"}, use: []string{"a"},
		steps: []step{
			{op: '+', id: carol, peer: p1, req: "0.0.0.0", want: "10.3.0.1", how: AssignedNew},
			{op: '+', id: carol, peer: p2, req: "0.0.0.0", want: "10.3.0.2", how: AssignedNew},
			{op: '-', id: carol, req: "10.3.0.1", want: "offline"},
		},
		leases: map[string][]string{"a": {
			"10.3.0.2 carol@strongswan.org online", "10.3.0.1 carol@strongswan.org offline"}},
	}, {
		name:  "new identity prefers never-used addresses to offline leases",
		pools: map[string]string{"a": "10.3.0.0/28"}, use: []string{"a"},
		steps: []step{
			{op: '+', id: carol, peer: p1, req: "0.0.0.0", want: "10.3.0.1", how: AssignedNew},
			{op: '-', id: carol, req: "10.3.0.1", want: "offline"},
			{op: '+', id: dave, peer: p2, req: "0.0.0.0", want: "10.3.0.2", how: AssignedNew},
		},
	}, {
		name:  "full pool takes over the first offline lease, then none",
		pools: map[string]string{"tiny": "10.50.0.1-10.50.0.2"}, use: []string{"tiny"},
		steps: []step{
			{op: '+', id: "eve1", peer: p1, req: "0.0.0.0", want: "10.50.0.1", how: AssignedNew},
			{op: '+', id: "eve2", peer: p2, req: "0.0.0.0", want: "10.50.0.2", how: AssignedNew},
			{op: '-', id: "eve2", req: "10.50.0.2", want: "offline"},
			{op: '-', id: "eve1", req: "10.50.0.1", want: "offline"},
			{op: '+', id: "eve2", peer: p2, req: "0.0.0.0", want: "10.50.0.2",
				how: ReassignedOffline},
			{op: '+', id: "eve3", peer: p3, req: "0.0.0.0", want: "10.50.0.1", how: TookOver,
				prev: "eve1"},
			{op: '+', id: "eve4", peer: p3, req: "0.0.0.0", want: "", how: NotAssigned,
				full: []string{"tiny"}},
			{op: '+', id: "eve1", peer: p1, req: "0.0.0.0", want: "", how: NotAssigned,
				full: []string{"tiny"}},
		},
		leases: map[string][]string{"tiny": {
			"10.50.0.2 eve2 online", "10.50.0.1 eve3 online"}},
	}, {
		name:  "make-before-break from the same endpoint keeps the address",
		pools: map[string]string{"a": "10.3.0.0/28"}, use: []string{"a"},
		steps: []step{
			{op: '+', id: carol, peer: p1, req: "0.0.0.0", want: "10.3.0.1", how: AssignedNew},
			{op: '+', id: carol, peer: p2, req: "0.0.0.0", want: "10.3.0.2", how: AssignedNew},
			{op: '-', id: carol, req: "10.3.0.2", want: "offline"},
			// reauthentication of the first session: its own lease, not the
			// offline one of the other session
			{op: '+', id: carol, peer: p1, req: "10.3.0.1", want: "10.3.0.1",
				how: ReassignedOnline},
			{op: '-', id: carol, req: "10.3.0.1", want: "online"},
			{op: '-', id: carol, req: "10.3.0.1", want: "offline"},
			{op: '-', id: carol, req: "10.3.0.1", want: "none"},
		},
		leases: map[string][]string{"a": {
			"10.3.0.2 carol@strongswan.org offline", "10.3.0.1 carol@strongswan.org offline"}},
	}, {
		name:  "make-before-break duplicates are listed and counted",
		pools: map[string]string{"a": "10.3.0.0/28"}, use: []string{"a"},
		steps: []step{
			{op: '+', id: carol, peer: p1, req: "0.0.0.0", want: "10.3.0.1", how: AssignedNew},
			{op: '+', id: carol, peer: p1, req: "0.0.0.0", want: "10.3.0.1",
				how: ReassignedOnline},
			// a specific other address does not match the online lease
			{op: '+', id: carol, peer: p1, req: "10.3.0.5", want: "10.3.0.2", how: AssignedNew},
		},
		leases: map[string][]string{"a": {
			"10.3.0.1 carol@strongswan.org online", "10.3.0.1 carol@strongswan.org online",
			"10.3.0.2 carol@strongswan.org online"}},
	}, {
		name:  "existing lease in a later pool wins over a free address",
		pools: map[string]string{"a": "10.1.0.0/24", "b": "10.2.0.0/24"},
		use:   []string{"a", "b"},
		steps: []step{
			{op: '+', id: carol, peer: p1, req: "0.0.0.0", want: "10.2.0.1", how: AssignedNew,
				pools: []string{"b"}},
			{op: '-', id: carol, req: "10.2.0.1", want: "offline"},
			{op: '+', id: carol, peer: p1, req: "0.0.0.0", want: "10.2.0.1",
				how: ReassignedOffline},
			{op: '+', id: dave, peer: p2, req: "0.0.0.0", want: "10.1.0.1", how: AssignedNew},
		},
	}, {
		name:  "families are served by their pools only",
		pools: map[string]string{"v4": "10.3.0.0/28", "v6": "fec3::/120", "x": "10.9.0.1"},
		use:   []string{"x", "v4", "v6", "missing"},
		steps: []step{
			{op: '+', id: carol, peer: p1, req: "::", want: "fec3::1", how: AssignedNew},
			{op: '+', id: carol, peer: p1, req: "0.0.0.0", want: "10.9.0.1", how: AssignedNew},
			{op: '+', id: dave, peer: p2, req: "0.0.0.0", want: "10.3.0.1", how: AssignedNew},
			{op: '+', id: dave, peer: p2, req: "::", want: "fec3::2", how: AssignedNew},
			{op: '+', id: eve, peer: p3, req: "::", want: "", how: NotAssigned,
				full: nil, pools: []string{"v4", "missing"}},
		},
	}, {
		name:  "release needs the identity and the pool",
		pools: map[string]string{"a": "10.3.0.0/28"}, use: []string{"a"},
		steps: []step{
			{op: '+', id: carol, peer: p1, req: "0.0.0.0", want: "10.3.0.1", how: AssignedNew},
			{op: '-', id: dave, req: "10.3.0.1", want: "none"},
			{op: '-', id: carol, req: "10.3.0.1", want: "none", pools: []string{"b"}},
			{op: '-', id: carol, req: "10.3.0.2", want: "none"},
			{op: '-', id: carol, req: "10.3.0.1", want: "offline"},
		},
	}, {
		name:  "several full pools are all reported",
		pools: map[string]string{"a": "10.1.0.1", "b": "10.2.0.1"}, use: []string{"a", "b"},
		steps: []step{
			{op: '+', id: carol, peer: p1, req: "0.0.0.0", want: "10.1.0.1", how: AssignedNew},
			{op: '+', id: carol, peer: p2, req: "0.0.0.0", want: "10.2.0.1", how: AssignedNew},
			{op: '+', id: dave, peer: p2, req: "0.0.0.0", want: "", how: NotAssigned,
				full: []string{"a", "b"}},
			{op: '-', id: carol, req: "10.2.0.1", want: "offline"},
			{op: '+', id: dave, peer: p2, req: "0.0.0.0", want: "10.2.0.1", how: TookOver,
				prev: carol, full: []string{"a"}},
		},
		leases: map[string][]string{"b": {"10.2.0.1 dave@strongswan.org online"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewManager()
			names := make([]string, 0, len(tt.pools))
			for n := range tt.pools {
				names = append(names, n)
			}
			slices.Sort(names)
			for _, n := range names {
				mustLoad(t, m, n, tt.pools[n])
			}
			runSteps(t, m, tt.use, tt.steps)
			for name, want := range tt.leases {
				if got := leaseList(m, name); !slices.Equal(got, want) {
					t.Errorf("pool %s leases:\n got %q\nwant %q", name, got, want)
				}
			}
			checkCounters(t, m)
		})
	}
}

// checkCounters compares each pool's counters with its lease list.
func checkCounters(t *testing.T, m *Manager) {
	t.Helper()
	for _, in := range m.Snapshot(Query{Leases: true}) {
		on, off := 0, 0
		for _, l := range in.Leases {
			if l.Online {
				on++
			} else {
				off++
			}
		}
		if on != in.Online || off != in.Offline {
			t.Errorf("pool %s counts %d/%d, leases %d/%d", in.Name, in.Online, in.Offline,
				on, off)
		}
	}
}

func TestGrantNotes(t *testing.T) {
	carol, dave := identity.Parse("carol@x"), identity.Parse("C=CH, CN=dave")
	tests := []struct {
		g    Grant
		want []string
	}{
		{Grant{How: AssignedNew, Identity: carol}, []string{"assigning new lease to 'carol@x'"}},
		{Grant{How: ReassignedOffline, Identity: carol},
			[]string{"reassigning offline lease to 'carol@x'"}},
		{Grant{How: ReassignedOnline, Identity: carol},
			[]string{"reassigning online lease to 'carol@x'"}},
		{Grant{How: TookOver, Identity: carol, PrevOwner: dave, Full: []string{"a"}},
			[]string{"pool 'a' is full, unable to assign address",
				"reassigning existing offline lease by 'C=CH, CN=dave' to 'carol@x'"}},
		{Grant{Identity: carol, Full: []string{"a", "b"}},
			[]string{"pool 'a' is full, unable to assign address",
				"pool 'b' is full, unable to assign address"}},
	}
	for _, tt := range tests {
		t.Run(tt.want[len(tt.want)-1], func(t *testing.T) {
			if got := tt.g.Notes(); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	r := Release{WentOffline: true, Addr: netip.MustParseAddr("10.3.0.1"), Identity: carol}
	if got := r.Note(); got != "lease 10.3.0.1 by 'carol@x' went offline" {
		t.Errorf("release note %q", got)
	}
}

func TestAttributesFollowAssignedAddress(t *testing.T) {
	m := NewManager()
	dnsA := Attribute{Type: InternalIP4DNS, Value: []byte{10, 1, 0, 53}}
	dnsB := Attribute{Type: InternalIP4DNS, Value: []byte{10, 2, 0, 53}}
	mustLoad(t, m, "a", "10.1.0.0/30", dnsA)
	mustLoad(t, m, "b", "10.2.0.0/30", dnsB)
	pools := []string{"a", "b"}
	tests := []struct {
		vip  string
		want []Attribute
	}{
		{"10.1.0.1", []Attribute{dnsA}},
		{"10.1.0.2", []Attribute{dnsA}}, // the last address of the pool
		{"10.1.0.3", nil},               // broadcast, not handed out
		{"10.1.0.0", nil},
		{"10.2.0.2", []Attribute{dnsB}},
		{"fec1::1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.vip, func(t *testing.T) {
			got := m.Attributes(pools, []netip.Addr{netip.MustParseAddr(tt.vip)})
			if !slices.EqualFunc(got, tt.want, func(a, b Attribute) bool {
				return a.Type == b.Type && string(a.Value) == string(b.Value)
			}) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	both := m.Attributes(pools, []netip.Addr{netip.MustParseAddr("10.2.0.1"),
		netip.MustParseAddr("10.1.0.1")})
	if len(both) != 2 || both[0].Value[1] != 1 {
		t.Errorf("two vips: got %v, want a's then b's attributes", both)
	}
	// The last address a pool hands out carries its attributes.
	m2 := NewManager()
	mustLoad(t, m2, "t", "10.5.0.0/30", dnsA)
	var last netip.Addr
	for i := 0; i < 2; i++ {
		last = m2.Acquire([]string{"t"}, identity.Parse("u"+string(rune('a'+i))), any4,
			ep("192.0.2.1:500")).Addr
	}
	if last.String() != "10.5.0.2" || len(m2.Attributes([]string{"t"},
		[]netip.Addr{last})) != 1 {
		t.Errorf("last lease %v carries no attributes", last)
	}
}
