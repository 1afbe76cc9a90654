package ike

import (
	"net/netip"
	"testing"
	"time"
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
