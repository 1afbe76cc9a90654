package ike

import (
	"net/netip"
	"testing"
	"time"

	"github.com/charond/charond/identity"
)

// authFrom runs IKE_SA_INIT and IKE_AUTH for carol from addr, with or
// without INITIAL_CONTACT, and returns the IKE_AUTH response.
func authFrom(t *testing.T, e *testEnv, addr string, initial bool) (*initiator, []Payload) {
	t.Helper()
	i := newInitiator(t, e.sender(netip.MustParseAddrPort(addr)), "aes128-sha256-x25519",
		GroupCurve25519)
	if n := i.doInit(); n != 0 {
		t.Fatalf("IKE_SA_INIT failed with %v", n)
	}
	var ps []Payload
	for _, p := range i.authPayloads(true) {
		if n, ok := p.(*Notify); ok && n.NType == NInitialContact && !initial {
			continue
		}
		ps = append(ps, p)
	}
	return i, i.exchange(IKEAuth, ps)
}

// spis lists the initiator SPIs of the server's IKE_SAs, waiting up to a
// second for want of them.
func spis(e *testEnv, want int) []uint64 {
	var out []uint64
	for range 100 {
		out = out[:0]
		for _, sa := range e.srv.SAs() {
			out = append(out, sa.SPIi)
		}
		if len(out) == want {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	return out
}

func TestUniquePolicy(t *testing.T) {
	const first, other = "192.0.2.2:4500", "192.0.2.3:4500"
	cases := []struct {
		policy  string
		from    string // the second IKE_SA's address
		initial bool   // the second sends INITIAL_CONTACT
		refused bool   // the second is refused
		keep    string // which stay: "1", "2" or "12"
	}{
		{UniqueNo, other, false, false, "12"},
		{"", other, false, false, "12"},
		{UniqueNo, other, true, false, "2"},
		{UniqueNever, other, true, false, "12"},
		{UniqueReplace, other, false, false, "2"},
		{UniqueReplace, first, false, false, "12"}, // a reauthentication: deleted later
		{UniqueKeep, other, false, true, "1"},
		{UniqueKeep, first, false, false, "12"},
		{UniqueKeep, other, true, false, "2"},
	}
	for _, c := range cases {
		peer := gatewayPeer()
		peer.Unique = c.policy
		e := newTestEnv(Options{}, peer)
		one, resp := authFrom(t, e, first, true)
		if err := one.verifyAuth(resp); err != nil {
			t.Fatal(err)
		}
		two, resp := authFrom(t, e, c.from, c.initial)
		if _, failed := findNotify(resp, NAuthenticationFailed); failed != c.refused {
			t.Errorf("%q from %s, INITIAL_CONTACT %v: AUTHENTICATION_FAILED %v, want %v",
				c.policy, c.from, c.initial, failed, c.refused)
			continue
		}
		want := map[string][]uint64{"1": {one.spii}, "2": {two.spii},
			"12": {one.spii, two.spii}}[c.keep]
		got := spis(e, len(want))
		if len(got) != len(want) || !sameSet(got, want) {
			t.Errorf("%q from %s, INITIAL_CONTACT %v: IKE_SAs %x, want %x", c.policy,
				c.from, c.initial, got, want)
		}
	}
}

func sameSet(a, b []uint64) bool {
	seen := map[uint64]int{}
	for _, v := range a {
		seen[v]++
	}
	for _, v := range b {
		seen[v]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

// Under keep, a new IKE_SA from another address is refused, and the
// duplicates after the first are deleted, as strongSwan does.
func TestUniqueKeepDeletesFurtherDuplicates(t *testing.T) {
	const a, b = "192.0.2.2:4500", "192.0.2.3:4500"
	peer := gatewayPeer()
	peer.Unique = UniqueKeep
	e := newTestEnv(Options{}, peer)
	one, _ := authFrom(t, e, a, true)
	two, resp := authFrom(t, e, a, false) // same address: allowed under keep
	if _, f := findNotify(resp, NAuthenticationFailed); f {
		t.Fatal("second from the same address refused")
	}
	_, resp = authFrom(t, e, b, false)
	if _, f := findNotify(resp, NAuthenticationFailed); !f {
		t.Fatal("third from another address accepted")
	}
	got := spis(e, 1)
	if !sameSet(got, []uint64{one.spii}) {
		t.Errorf("IKE_SAs %x, want only the first %x (the second, %x, deleted)",
			got, one.spii, two.spii)
	}
}

// Under keep, an IKE_SA's address is the peer's current one: after a new
// NAT mapping, a reauthentication from the new address is no duplicate
// from another host.
func TestUniqueKeepFollowsThePeer(t *testing.T) {
	const a, b = "192.0.2.2:4500", "192.0.2.3:4500"
	peer := gatewayPeer()
	peer.Unique = UniqueKeep
	e := newTestEnv(Options{}, peer)
	one, _ := authFrom(t, e, a, true)
	one.send = e.sender(netip.MustParseAddrPort(b)) // the NAT mapping changed
	one.exchange(Informational, nil)
	if got := e.srv.SAs()[0].Remote.String(); got != b {
		t.Fatalf("old SA's remote %s", got)
	}
	_, resp := authFrom(t, e, b, false)
	if _, f := findNotify(resp, NAuthenticationFailed); f {
		t.Error("reauthentication from the old IKE_SA's current address refused")
	}
}

// INITIAL_CONTACT ends IKE_SAs charond initiated between the same
// identities too, as strongSwan's do.
func TestInitialContactEndsInitiatedSA(t *testing.T) {
	carol := carolPeer("aes128-sha256-x25519")
	e := newClientEnv(t, carol, gatewayPeer("aes128-sha256-x25519"))
	// carol also accepts moon as responder with the same connection
	e.srv.opt.Configs = staticConfigs{carol}
	if err := e.srv.Initiate(ctx(t), "carol", "home", nil); err != nil {
		t.Fatal(err)
	}
	if n := len(e.srv.SAs()); n != 1 {
		t.Fatalf("%d IKE_SAs", n)
	}
	moon := newInitiator(t, func(b []byte) []byte {
		return e.srv.Handle(b, clientAddr, netip.MustParseAddrPort("192.0.2.1:500"))
	}, "aes128-sha256-x25519", GroupCurve25519)
	moon.id, moon.peerID = identity.Parse("moon.example.org"), identity.Parse("carol@example.org")
	if n := moon.doInit(); n != 0 {
		t.Fatalf("IKE_SA_INIT %v", n)
	}
	resp := moon.exchange(IKEAuth, moon.authPayloads(false)) // with INITIAL_CONTACT
	if err := moon.verifyAuth(resp); err != nil {
		t.Fatal(err)
	}
	for _, sa := range e.srv.SAs() {
		if sa.Initiator {
			t.Errorf("IKE_SA %s[%d] we initiated survives the peer's INITIAL_CONTACT",
				sa.Name, sa.Unique)
		}
	}
}
