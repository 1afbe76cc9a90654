package ike

import "testing"

// Past the half-open limit new IKE_SA_INIT requests go unanswered, even
// from a peer that answers cookies, so no peer makes the server hold
// unbounded state; completing a handshake frees a place.
func TestHalfOpenLimit(t *testing.T) {
	e := newTestEnv(Options{HalfOpenLimit: 2, CookieThreshold: 100}, gatewayPeer())
	var open []*initiator
	for range 2 {
		i := newInitiator(t, e.sender(clientAddr), "aes128-sha256-x25519", GroupCurve25519)
		if n := i.doInit(); n != 0 {
			t.Fatalf("IKE_SA_INIT under the limit: %v", n)
		}
		open = append(open, i)
	}
	third := newInitiator(t, e.sender(clientAddr), "aes128-sha256-x25519", GroupCurve25519)
	if r := third.send(third.initRequest()); r != nil {
		t.Fatal("IKE_SA_INIT over the half-open limit was answered")
	}
	if total, half := e.srv.Counts(); total != 2 || half != 2 {
		t.Fatalf("SAs after the refused request: %d total, %d half open", total, half)
	}
	authenticate(t, open[0])
	if r := third.send(third.initRequest()); r == nil {
		t.Fatal("no IKE_SA_INIT answer after a half-open SA completed")
	}
}

func TestIKESALimit(t *testing.T) {
	e := newTestEnv(Options{IKESALimit: 1}, gatewayPeer())
	first := newInitiator(t, e.sender(clientAddr), "aes128-sha256-x25519", GroupCurve25519)
	if n := first.doInit(); n != 0 {
		t.Fatalf("first IKE_SA_INIT: %v", n)
	}
	authenticate(t, first)
	second := newInitiator(t, e.sender(clientAddr), "aes128-sha256-x25519", GroupCurve25519)
	if r := second.send(second.initRequest()); r != nil {
		t.Fatal("IKE_SA_INIT over the IKE_SA limit was answered")
	}
}

func authenticate(t *testing.T, i *initiator) {
	t.Helper()
	if err := i.verifyAuth(i.exchange(IKEAuth, i.authPayloads(true))); err != nil {
		t.Fatal(err)
	}
}
