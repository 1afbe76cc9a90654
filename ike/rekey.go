package ike

import "encoding/binary"

// handleRekeyIKE answers a CREATE_CHILD_SA request rekeying the IKE_SA
// (RFC 7296 sections 1.3.2 and 2.18). The new IKE_SA takes over the
// CHILD_SAs, virtual IPs and identities; the old one stays, rekeyed and
// empty, until the initiator deletes it over the old keys.
//
// Collisions: we never start an IKE rekey ourselves, so there is no
// simultaneous rekey to resolve; a second rekey of an already rekeyed
// IKE_SA gets TEMPORARY_FAILURE (see process). If the peer never deletes
// the old IKE_SA, it goes with the new one. An old IKE_SA deleted before
// its rekey leaves nothing to rekey: its requests are dropped.
//
// TODO: IKE_SAs we initiated are not rekeyed by the peer (roles and local
// virtual IPs would move), and we do not rekey IKE_SAs on our own.
func (sa *ikeSA) handleRekeyIKE(sap *SA, req []Payload, ni []byte) ([]Payload, func()) {
	log := sa.srv.log
	if sa.initiator {
		log.Info("IKE_SA rekeying by the responder not supported, sending NO_ADDITIONAL_SAS",
			"ike_sa", sa.name())
		return []Payload{&Notify{NType: NNoAdditionalSAs}}, nil
	}
	ke, ok := find[*KE](req)
	if !ok {
		log.Info("IKE_SA rekey request without KE, sending INVALID_SYNTAX",
			"ike_sa", sa.name())
		return []Payload{&Notify{NType: NInvalidSyntax}}, nil
	}
	sel, ok := SelectKE(sa.peer.Proposals, sap.Proposals, ke.Group)
	var st *suite
	if ok && sel.Protocol == ProtoIKE && len(sel.SPI) == 8 {
		st, _ = suiteOf(sel)
	}
	var spii uint64
	if st != nil {
		spii = binary.BigEndian.Uint64(sel.SPI)
	}
	if st == nil || st.dh == 0 || spii == 0 {
		log.Info("no acceptable proposal for IKE_SA rekeying, sending NO_PROPOSAL_CHOSEN",
			"ike_sa", sa.name())
		return []Payload{&Notify{NType: NNoProposalChosen}}, nil
	}
	if st.dh != ke.Group {
		log.Info("DH group "+itoa(uint32(ke.Group))+" unacceptable, requesting "+
			itoa(uint32(st.dh)), "ike_sa", sa.name())
		return []Payload{&Notify{NType: NInvalidKEPayload,
			Data: binary.BigEndian.AppendUint16(nil, st.dh)}}, nil
	}
	kex, err := newKeyExchange(st.dh, sa.srv.opt.Rand)
	var shared []byte
	if err == nil {
		shared, err = kex.Shared(ke.Data)
	}
	if err != nil {
		log.Info("applying DH public value failed", "ike_sa", sa.name(), "err", err)
		return []Payload{&Notify{NType: NNoProposalChosen}}, nil
	}
	now := sa.srv.opt.Now()
	n := &ikeSA{srv: sa.srv, spii: spii, created: now, resp: make(chan []byte, 4),
		local: sa.local, remote: sa.remote, natLocal: sa.natLocal, natRemote: sa.natRemote,
		state: stateEstablished, suite: st, ni: append([]byte(nil), ni...),
		nr: sa.srv.random(32), peers: sa.peers, peer: sa.peer, localID: sa.localID,
		remoteID: sa.remoteID, established: now, rekeyOf: sa, rekeyOfSPI: sa.spir}
	n.prf, _ = prfHash(st.prf)
	n.done.Store(true)
	n.mu.Lock() // listings see it once registered
	defer n.mu.Unlock()
	sa.srv.registerRekeyed(n)
	if sa.uniq.Load() != nil {
		n.publishUnique()
	}
	n.keys = deriveRekeyedIKE(sa.prf, sa.keys.d, st, n.ni, n.nr, shared, n.spii, n.spir)
	if n.in, err = newCipherSuite(st, n.keys.ei, n.keys.ai); err == nil {
		n.out, err = newCipherSuite(st, n.keys.er, n.keys.ar)
	}
	if err != nil {
		log.Error("deriving IKE keys failed", "ike_sa", sa.name(), "err", err)
		n.state = stateDeleted
		sa.srv.remove(n)
		return []Payload{&Notify{NType: NNoProposalChosen}}, nil
	}
	// Move everything the old IKE_SA would release on its delete.
	n.vips, sa.vips = sa.vips, nil
	n.children, sa.children = sa.children, nil
	for _, c := range n.children {
		c.IKEName = n.name()
	}
	sa.state = stateRekeyed
	sa.rekeyed.Store(true)
	log.Info("IKE_SA "+sa.name()+" rekeyed to "+n.name()+" with SPIs "+
		spiText64(n.spii)+"_i "+spiText64(n.spir)+"_r", "ike_sa", sa.name())
	sa.srv.countRekey(sa, n)
	sel.SPI = binary.BigEndian.AppendUint64(nil, n.spir)
	return []Payload{&SA{Proposals: []Proposal{sel}}, &Nonce{Data: n.nr},
		&KE{Group: st.dh, Data: kex.Public()}}, nil
}

// registerRekeyed stores an IKE_SA created by a rekey under a fresh SPI
// and unique ID; it is established from the start.
func (s *Server) registerRekeyed(sa *ikeSA) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store(sa)
}

// forgetRekeyed drops old, an IKE_SA rekeyed into one now going, if the
// peer never deleted it. old holds nothing; it only takes a map entry.
func (s *Server) forgetRekeyed(old *ikeSA, spir uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sas[spir] == old {
		delete(s.sas, spir)
	}
}

// countRekey reports the rekeying of old into n to Events; the caller
// holds both locks.
func (s *Server) countRekey(old, n *ikeSA) {
	ev := s.opt.Events
	if ev == nil {
		return
	}
	ev.Count(old.peer.Name, "ike-rekey-resp")
	if r, ok := ev.(RekeyEvents); ok {
		r.IKERekey(old.snapshot(), n.snapshot())
	}
}

// RekeyEvents is implemented by Events that hear about rekeyed IKE_SAs,
// for VICI's ike-rekey event.
type RekeyEvents interface {
	// IKERekey reports old (now without children) replaced by n.
	IKERekey(old, n SAInfo)
}
