package ike

import (
	"net/netip"

	"github.com/charond/charond/identity"
)

// idBody is the body of an ID payload, which the AUTH computation signs.
func idBody(p *ID) []byte { return p.appendBody(nil) }

func findID(ps []Payload, responder bool) (*ID, bool) {
	for _, p := range ps {
		if id, ok := p.(*ID); ok && id.Responder == responder {
			return id, true
		}
	}
	return nil, false
}

// selectPeer picks the first candidate whose remote identity accepts idi
// and, when the initiator named us, whose local identity is the one asked
// for; failing the latter, the first that accepts idi.
func selectPeer(peers []*Peer, idi identity.Identity, idr *identity.Identity) *Peer {
	var fallback *Peer
	for _, p := range peers {
		if !p.RemoteID.IsAny() && p.RemoteID != idi {
			continue
		}
		if idr == nil || idr.IsAny() || p.LocalID == *idr {
			return p
		}
		if fallback == nil {
			fallback = p
		}
	}
	return fallback
}

// handleAuth answers IKE_AUTH. It returns the response payloads and what to
// do once the response is built.
func (sa *ikeSA) handleAuth(req []Payload) ([]Payload, func()) {
	log := sa.srv.log
	fail := func(t NotifyType) ([]Payload, func()) {
		return []Payload{&Notify{NType: t}}, sa.destroy
	}
	idi, ok := findID(req, false)
	auth, ok2 := find[*Auth](req)
	if !ok || !ok2 {
		// TODO: EAP (an IKE_AUTH without AUTH payload) is not implemented.
		log.Info("IKE_AUTH request without IDi or AUTH, sending AUTHENTICATION_FAILED",
			"ike_sa", sa.name())
		return fail(NAuthenticationFailed)
	}
	sa.remoteID = identity.New(identity.Type(idi.IDType), idi.Data).Clone()
	var want *identity.Identity
	if idr, ok := findID(req, true); ok {
		w := identity.New(identity.Type(idr.IDType), idr.Data).Clone()
		want = &w
	}
	peer := selectPeer(sa.peers, sa.remoteID, want)
	if peer == nil {
		log.Info("no matching peer config found", "ike_sa", sa.name(),
			"remote_id", sa.remoteID.String())
		return fail(NAuthenticationFailed)
	}
	sa.peer = peer
	sa.localID = peer.LocalID
	log.Info("selected peer config '"+peer.Name+"'", "ike_sa", sa.name())
	psk, ok := sa.srv.opt.Secrets.PSK(sa.localID, sa.remoteID)
	if !ok {
		log.Info("no shared key found for '"+sa.localID.String()+"' - '"+
			sa.remoteID.String()+"'", "ike_sa", sa.name())
		return fail(NAuthenticationFailed)
	}
	expect := pskAuth(sa.prf, psk, sa.keys.pi, sa.initReq, sa.nr, idBody(idi))
	if auth.Method != AuthPSK || !authEqual(expect, auth.Data) {
		log.Info("tried to authenticate '"+sa.remoteID.String()+
			"' with pre-shared key, but it failed", "ike_sa", sa.name())
		return fail(NAuthenticationFailed)
	}
	log.Info("authentication of '"+sa.remoteID.String()+"' with pre-shared key successful",
		"ike_sa", sa.name())
	idr := &ID{Responder: true, IDType: uint8(sa.localID.Type()), Data: sa.localID.Data()}
	resp := []Payload{idr, &Auth{Method: AuthPSK,
		Data: pskAuth(sa.prf, psk, sa.keys.pr, sa.initResp, sa.ni, idBody(idr))}}
	log.Info("authentication of '"+sa.localID.String()+"' (myself) with pre-shared key",
		"ike_sa", sa.name())
	sa.state = stateEstablished
	sa.done.Store(true)
	sa.established = sa.srv.opt.Now()
	log.Info("IKE_SA "+sa.name()+" established between "+endpoint(sa.local, sa.localID)+
		"..."+endpoint(sa.remote, sa.remoteID), "ike_sa", sa.name())

	cp, cpErr := sa.assignVIPs(req)
	sa.ikeUpDown(true) // with the virtual IPs just assigned
	if cp != nil {
		resp = append(resp, cp)
	}
	if cpErr != 0 {
		resp = append(resp, &Notify{NType: cpErr})
		log.Info("failed to establish CHILD_SA, keeping IKE_SA", "ike_sa", sa.name())
		return resp, func() {}
	}
	if _, hasSA := find[*SA](req); hasSA {
		resp = append(resp, sa.negotiateChild(req, sa.ni, sa.nr)...)
	}
	return resp, sa.initialContact(req)
}

// initialContact returns the follow-up for an INITIAL_CONTACT notify: the
// peer has lost its state, so older IKE_SAs between the same identities
// are stale and go.
//
// TODO: the connection's `unique` policy (replace, keep, never) is not
// applied; only INITIAL_CONTACT removes duplicates.
func (sa *ikeSA) initialContact(req []Payload) func() {
	if _, ok := findNotify(req, NInitialContact); !ok {
		return func() {}
	}
	name, lid, rid := sa.peer.Name, sa.localID, sa.remoteID
	return func() {
		s := sa.srv
		s.mu.Lock()
		var others []*ikeSA
		for _, o := range s.sas {
			if o != sa {
				others = append(others, o)
			}
		}
		s.mu.Unlock()
		for _, o := range others {
			o.mu.Lock()
			if o.state == stateEstablished && o.peer.Name == name && o.localID == lid &&
				o.remoteID == rid {
				s.log.Info("destroying duplicate IKE_SA for peer '"+rid.String()+
					"', received INITIAL_CONTACT", "ike_sa", o.name())
				o.destroyLocked()
			}
			o.mu.Unlock()
		}
	}
}

func endpoint(ap netip.AddrPort, id identity.Identity) string {
	return ap.Addr().Unmap().String() + "[" + id.String() + "]"
}
