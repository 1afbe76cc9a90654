package ike

import (
	"cmp"
	"context"
	"net/netip"
	"slices"
	"time"

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
	cancel, unique := sa.uniqueness(req)
	if cancel {
		log.Info("canceling IKE_SA setup due to uniqueness policy", "ike_sa", sa.name())
		return []Payload{&Notify{NType: NAuthenticationFailed}}, func() {
			sa.destroy()
			unique() // further duplicates go, the first stays
		}
	}
	sa.state = stateEstablished
	sa.done.Store(true)
	sa.established = sa.srv.opt.Now()
	sa.publishUnique()
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
		return resp, unique
	}
	if _, hasSA := find[*SA](req); hasSA {
		resp = append(resp, sa.negotiateChild(req, sa.ni, sa.nr)...)
	}
	return resp, unique
}

// Unique policies of a connection (swanctl.conf `unique`).
const (
	UniqueNo      = "no"
	UniqueNever   = "never"
	UniqueKeep    = "keep"
	UniqueReplace = "replace"
)

// reauthDelay is how long a duplicate from the peer's own address lives
// on under "replace": likely a reauthentication, whose new CHILD_SAs
// should overlap the old ones, as strongSwan schedules it.
const reauthDelay = 10 * time.Second

// uniqueKey is what the unique policy compares of an established IKE_SA.
// It is published atomically so that an IKE_SA being authenticated, which
// holds its own lock, can find duplicates without taking theirs.
type uniqueKey struct {
	peer        string
	local       identity.Identity
	remote      identity.Identity
	host        netip.AddrPort // the peer's current address
	established time.Time
	id          uint32 // the IKE_SA's unique ID, to order equal times
}

// publishUnique makes the established IKE_SA known to the unique policy,
// or updates its address; the caller holds sa.mu.
func (sa *ikeSA) publishUnique() {
	sa.uniq.Store(&uniqueKey{peer: sa.peer.Name, local: sa.localID, remote: sa.remoteID,
		host: sa.remote, established: sa.established, id: sa.unique})
}

// uniqueness applies the connection's unique policy once the initiator is
// authenticated, as strongSwan does; the caller holds sa.mu. With
// INITIAL_CONTACT, unless the policy is "never", older IKE_SAs between
// the same identities are destroyed at once: the peer has lost its state.
// Otherwise "replace" deletes them, and "keep" refuses the new IKE_SA
// while one is established from another address. It reports whether to
// cancel the new IKE_SA and returns what to do after the response.
func (sa *ikeSA) uniqueness(req []Payload) (cancel bool, after func()) {
	_, initial := findNotify(req, NInitialContact)
	policy := sa.peer.Unique
	if policy == UniqueNever || (policy != UniqueKeep && policy != UniqueReplace && !initial) {
		return false, func() {}
	}
	dups := sa.duplicates()
	log, rid, host := sa.srv.log, sa.remoteID.String(), sa.remote
	if initial {
		return false, func() {
			for _, d := range dups {
				o := d.sa
				o.mu.Lock()
				if o.state == stateEstablished {
					log.Info("destroying duplicate IKE_SA for peer '"+rid+
						"', received INITIAL_CONTACT", "ike_sa", o.name())
					o.destroyLocked()
				}
				o.mu.Unlock()
			}
		}
	}
	var replace []duplicate
	for _, d := range dups {
		if policy == UniqueKeep && !cancel && d.key.host != host {
			// keep the first and delete any further duplicates
			cancel = true
			continue
		}
		if policy == UniqueReplace || cancel {
			replace = append(replace, d)
		}
	}
	return cancel, func() {
		for _, d := range replace {
			o := d.sa
			del := func() { _ = o.deleteSelf(context.Background()) }
			if d.key.host == host {
				log.Info("schedule delete of duplicate IKE_SA for peer '"+rid+
					"' due to uniqueness policy and suspected reauthentication",
					"ike_sa", o.name())
				time.AfterFunc(reauthDelay, del)
				continue
			}
			log.Info("deleting duplicate IKE_SA for peer '"+rid+
				"' due to uniqueness policy", "ike_sa", o.name())
			go del()
		}
	}
}

// duplicate is another IKE_SA with what it was established as.
type duplicate struct {
	sa  *ikeSA
	key *uniqueKey
}

// duplicates lists the other established IKE_SAs of the same connection
// between the same identities, over the same address family, oldest
// first. It takes no IKE_SA's lock.
//
// TODO: strongSwan compares the connections by content, so a reloaded
// connection that changed no longer counts, and it skips IKE_SAs whose
// DELETE is under way; here the name decides and those still count.
func (sa *ikeSA) duplicates() []duplicate {
	s := sa.srv
	v4 := sa.remote.Addr().Unmap().Is4()
	s.mu.Lock()
	var out []duplicate
	for _, o := range s.sas {
		k := o.uniq.Load()
		if o == sa || k == nil || o.rekeyed.Load() {
			continue
		}
		if k.peer == sa.peer.Name && k.local == sa.localID && k.remote == sa.remoteID &&
			k.host.Addr().Unmap().Is4() == v4 {
			out = append(out, duplicate{o, k})
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b duplicate) int {
		if c := a.key.established.Compare(b.key.established); c != 0 {
			return c
		}
		return cmp.Compare(a.key.id, b.key.id)
	})
	return out
}

func endpoint(ap netip.AddrPort, id identity.Identity) string {
	return ap.Addr().Unmap().String() + "[" + id.String() + "]"
}
