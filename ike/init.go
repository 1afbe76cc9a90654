package ike

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"net/netip"
)

// handleInit answers an IKE_SA_INIT request.
func (s *Server) handleInit(msg []byte, h Header, local, remote netip.AddrPort) []byte {
	key := halfKey{h.SPIi, remote}
	s.mu.Lock()
	old := s.halfOpen[key]
	s.mu.Unlock()
	if old != nil {
		old.mu.Lock()
		defer old.mu.Unlock()
		if bytes.Equal(old.initReq, msg) && old.initResp != nil {
			s.log.Info("received retransmit of IKE_SA_INIT, retransmitting response",
				"peer", remote)
			return old.initResp
		}
		return nil
	}
	if h.MsgID != 0 {
		return nil
	}
	m, err := Decode(msg)
	if err != nil {
		s.log.Info("received invalid IKE_SA_INIT", "peer", remote, "err", err)
		return nil
	}
	s.log.Info("received IKE_SA_INIT request", "from", remote, "to", local,
		"payloads", describe(m.Payloads))
	plain := func(ps ...Payload) []byte {
		return Encode(&Message{Header: Header{SPIi: h.SPIi, Exchange: IKESAInit,
			Flags: FlagResponse}, Payloads: ps})
	}
	sap, ok1 := find[*SA](m.Payloads)
	ke, ok2 := find[*KE](m.Payloads)
	nonce, ok3 := find[*Nonce](m.Payloads)
	if !ok1 || !ok2 || !ok3 {
		s.log.Info("IKE_SA_INIT request lacks SA, KE or nonce, sending INVALID_SYNTAX")
		return plain(&Notify{NType: NInvalidSyntax})
	}
	if s.countHalfOpen() >= s.opt.CookieThreshold {
		want := s.cookie(nonce.Data, remote, h.SPIi)
		got, ok := findNotify(m.Payloads, NCookie)
		if !ok || !bytes.Equal(got.Data, want) {
			s.log.Info("too many half-open IKE_SAs, sending COOKIE", "peer", remote)
			return plain(&Notify{NType: NCookie, Data: want})
		}
	}
	if lim := s.opt.HalfOpenLimit; lim > 0 && s.countHalfOpen() >= lim {
		s.log.Info("ignoring IKE_SA setup from "+remote.Addr().String()+
			", half open IKE_SA limit of "+itoa(uint32(lim))+" reached", "peer", remote)
		return nil
	}
	if lim := s.opt.IKESALimit; lim > 0 {
		if total, _ := s.Counts(); total >= lim {
			s.log.Info("ignoring IKE_SA setup from "+remote.Addr().String()+
				", IKE_SA limit of "+itoa(uint32(lim))+" reached", "peer", remote)
			return nil
		}
	}
	s.log.Info(remote.Addr().String() + " is initiating an IKE_SA")
	peers := s.opt.Configs.Peers(local.Addr(), remote.Addr())
	if len(peers) == 0 {
		s.log.Info("no IKE config found for " + local.Addr().String() + "..." +
			remote.Addr().String() + ", sending NO_PROPOSAL_CHOSEN")
		return plain(&Notify{NType: NNoProposalChosen})
	}
	var ours []Proposal
	for _, p := range peers {
		ours = append(ours, p.Proposals...)
	}
	sel, ok := SelectKE(ours, sap.Proposals, ke.Group)
	if !ok {
		s.log.Info("received proposals unacceptable, sending NO_PROPOSAL_CHOSEN",
			"peer", remote)
		return plain(&Notify{NType: NNoProposalChosen})
	}
	st, err := suiteOf(sel)
	if err != nil {
		return plain(&Notify{NType: NNoProposalChosen})
	}
	if st.dh != ke.Group {
		s.log.Info("DH group " + itoa(uint32(ke.Group)) + " unacceptable, requesting " +
			itoa(uint32(st.dh)))
		return plain(&Notify{NType: NInvalidKEPayload,
			Data: binary.BigEndian.AppendUint16(nil, st.dh)})
	}
	kex, err := newKeyExchange(st.dh, s.opt.Rand)
	if err != nil {
		return plain(&Notify{NType: NNoProposalChosen})
	}
	shared, err := kex.Shared(ke.Data)
	if err != nil {
		s.log.Info("applying DH public value failed", "peer", remote, "err", err)
		return plain(&Notify{NType: NInvalidSyntax})
	}
	sa := &ikeSA{srv: s, spii: h.SPIi, created: s.opt.Now(), local: local, remote: remote,
		suite: st, ni: append([]byte(nil), nonce.Data...), nr: s.random(32),
		initReq: append([]byte(nil), msg...), nextID: 1, peers: peers,
		resp: make(chan []byte, 4)}
	sa.prf, _ = prfHash(st.prf)
	sel.SPI = nil // the IKE proposal carries no SPI once SPIs are in the header
	s.register(sa, key)

	sa.mu.Lock()
	defer sa.mu.Unlock()
	sa.keys = deriveIKE(st, sa.ni, sa.nr, shared, sa.spii, sa.spir)
	if sa.in, err = newCipherSuite(st, sa.keys.ei, sa.keys.ai); err == nil {
		sa.out, err = newCipherSuite(st, sa.keys.er, sa.keys.ar)
	}
	if err != nil {
		s.log.Error("deriving IKE keys failed", "err", err)
		sa.destroyLocked()
		return nil
	}
	sa.detectNAT(m.Payloads)
	resp := &Message{Header: Header{SPIi: sa.spii, SPIr: sa.spir, Exchange: IKESAInit,
		Flags: FlagResponse}, Payloads: []Payload{
		&SA{Proposals: []Proposal{sel}},
		&KE{Group: st.dh, Data: kex.Public()},
		&Nonce{Data: sa.nr},
		&Notify{NType: NNATDetectionSourceIP, Data: natHash(sa.spii, sa.spir, local)},
		&Notify{NType: NNATDetectionDestinationIP, Data: natHash(sa.spii, sa.spir, remote)},
	}}
	// TODO: IKEv2 fragmentation (RFC 7383) and MOBIKE are not offered, so
	// the response carries neither FRAGMENTATION nor MOBIKE support.
	sa.initResp = Encode(resp)
	sa.lastResp = sa.initResp
	s.log.Debug("generating IKE_SA_INIT response", "ike_sa", sa.name(),
		"payloads", describe(resp.Payloads))
	return sa.initResp
}

// detectNAT compares the peer's NAT detection hashes with the addresses the
// request actually travelled between.
func (sa *ikeSA) detectNAT(ps []Payload) {
	var src, dst bool // found a matching hash
	var seenSrc, seenDst bool
	for _, p := range ps {
		n, ok := p.(*Notify)
		if !ok {
			continue
		}
		switch n.NType {
		case NNATDetectionSourceIP:
			seenSrc = true
			src = src || bytes.Equal(n.Data, natHash(sa.spii, 0, sa.remote))
		case NNATDetectionDestinationIP:
			seenDst = true
			dst = dst || bytes.Equal(n.Data, natHash(sa.spii, 0, sa.local))
		}
	}
	sa.natRemote = seenSrc && !src
	sa.natLocal = seenDst && !dst
	if sa.natRemote {
		sa.srv.log.Info("remote host is behind NAT", "peer", sa.remote)
	}
	if sa.natLocal {
		sa.srv.log.Info("local host is behind NAT", "local", sa.local)
	}
}

// natHash is SHA-1(SPIi | SPIr | IP | port) (RFC 7296 section 2.23).
func natHash(spii, spir uint64, ap netip.AddrPort) []byte {
	h := sha1.New()
	var b []byte
	b = binary.BigEndian.AppendUint64(b, spii)
	b = binary.BigEndian.AppendUint64(b, spir)
	b = append(b, ap.Addr().Unmap().AsSlice()...)
	b = binary.BigEndian.AppendUint16(b, ap.Port())
	h.Write(b)
	return h.Sum(nil)
}
