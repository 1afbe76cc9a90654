package ike

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"

	"github.com/charond/charond/identity"
)

// ErrNotFound reports an unknown connection, child or IKE_SA.
var ErrNotFound = errors.New("ike: not found")

// ErrFailed reports an exchange the peer refused or that failed here; the
// log records say why.
var ErrFailed = errors.New("ike: failed")

// Initiate establishes an IKE_SA of the connection peerName and, in its
// IKE_AUTH, the CHILD_SA childName (the connection's first child when
// empty). It asks for the connection's virtual IPs, installs what it
// receives through Options.VirtualIPs and returns once the SAs are up or
// have failed. logf, if not nil, receives every log record on the way.
func (s *Server) Initiate(ctx context.Context, peerName, childName string, logf LogFunc) error {
	if s.opt.Initiators == nil {
		return fmt.Errorf("%w: no connections to initiate", ErrNotFound)
	}
	peer, ok := s.opt.Initiators.Peer(peerName)
	if !ok {
		return fmt.Errorf("%w: connection '%s'", ErrNotFound, peerName)
	}
	var child *Child
	for i := range peer.Children {
		if childName == "" || peer.Children[i].Name == childName {
			child = &peer.Children[i]
			break
		}
	}
	if child == nil {
		return fmt.Errorf("%w: child '%s' in connection '%s'", ErrNotFound, childName, peerName)
	}
	tr := s.transport()
	if tr == nil {
		return errors.New("ike: no transport to send requests")
	}
	if !peer.Remote.IsValid() || peer.Remote.Addr().IsUnspecified() {
		return fmt.Errorf("%w: connection '%s' has no remote address to initiate to",
			ErrFailed, peerName)
	}
	local, ok := tr.Local(peer.Remote)
	if !ok {
		return fmt.Errorf("%w: no local address to reach %s", ErrFailed, peer.Remote)
	}
	sa := &ikeSA{srv: s, initiator: true, created: s.opt.Now(), local: local,
		remote: peer.Remote, peer: peer, peers: []*Peer{peer}, localID: peer.LocalID,
		remoteID: peer.RemoteID, resp: make(chan []byte, 4)}
	if sa.localID.IsAny() {
		sa.localID = identity.FromAddr(local.Addr().Unmap())
	}
	s.registerInitiator(sa)
	sa.setLog(logf)
	defer sa.setLog(nil)
	sa.logc(1, "initiating IKE_SA "+sa.name()+" to "+peer.Remote.Addr().String())
	err := sa.initExchange(ctx)
	if err == nil {
		err = sa.authExchange(ctx, child)
	}
	if err != nil && !sa.isEstablished() {
		sa.destroy()
	}
	return err
}

// registerInitiator stores a new IKE_SA of ours under a fresh SPIi.
func (s *Server) registerInitiator(sa *ikeSA) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		spi := binary.BigEndian.Uint64(s.random(8))
		if spi != 0 && s.sas[spi] == nil {
			sa.spii = spi
			break
		}
	}
	s.unique++
	sa.unique = s.unique
	s.sas[sa.spii] = sa
}

// initExchange runs IKE_SA_INIT, following INVALID_KE_PAYLOAD and COOKIE
// at most twice each.
func (sa *ikeSA) initExchange(ctx context.Context) error {
	props := append([]Proposal(nil), sa.peer.Proposals...)
	for i := range props {
		props[i].Num = uint8(i + 1)
	}
	var group uint16
	for _, t := range props[0].Transforms {
		if t.Type == TransDH && group == 0 {
			group = t.ID
		}
	}
	var cookie []byte
	for round := 0; round < 4; round++ {
		kex, err := newKeyExchange(group, sa.srv.opt.Rand)
		if err != nil {
			return err
		}
		sa.ni = sa.srv.random(32)
		var ps []Payload
		if cookie != nil {
			ps = append(ps, &Notify{NType: NCookie, Data: cookie})
		}
		ps = append(ps, &SA{Proposals: props}, &KE{Group: group, Data: kex.Public()},
			&Nonce{Data: sa.ni},
			&Notify{NType: NNATDetectionSourceIP, Data: natHash(sa.spii, 0, sa.local)},
			&Notify{NType: NNATDetectionDestinationIP, Data: natHash(sa.spii, 0, sa.remote)})
		sa.initReq = Encode(&Message{Header: Header{SPIi: sa.spii, Exchange: IKESAInit,
			Flags: FlagInitiator}, Payloads: ps})
		sa.logc(1, "generating IKE_SA_INIT request 0 [ "+describe(ps)+" ]")
		raw, err := sa.transmit(ctx, sa.initReq, IKESAInit, 0, sa.local, sa.remote)
		if err != nil {
			return err
		}
		m, err := Decode(raw)
		if err != nil {
			return fmt.Errorf("%w: IKE_SA_INIT response: %w", ErrFailed, err)
		}
		sa.logc(1, "parsed IKE_SA_INIT response 0 [ "+describe(m.Payloads)+" ]")
		if n, ok := errorNotify(m.Payloads); ok {
			switch {
			case n.NType == NInvalidKEPayload && len(n.Data) == 2:
				old := group
				group = binary.BigEndian.Uint16(n.Data)
				sa.logc(1, "peer didn't accept DH group "+itoa(uint32(old))+
					", it requested "+itoa(uint32(group)))
				continue
			case n.NType == NCookie:
				cookie = append([]byte(nil), n.Data...)
				continue
			}
			sa.logc(1, "received "+n.NType.String()+" notify error")
			return fmt.Errorf("%w: peer sent %s", ErrFailed, n.NType)
		}
		return sa.finishInit(raw, m, kex)
	}
	return fmt.Errorf("%w: IKE_SA_INIT did not converge", ErrFailed)
}

// errorNotify returns the first error notify of ps; COOKIE counts too.
func errorNotify(ps []Payload) (*Notify, bool) {
	for _, p := range ps {
		if n, ok := p.(*Notify); ok && (n.NType.IsError() || n.NType == NCookie) {
			return n, true
		}
	}
	return nil, false
}

// finishInit takes the accepted IKE_SA_INIT response: keys, NAT detection
// and the switch to port 4500.
func (sa *ikeSA) finishInit(raw []byte, m *Message, kex keyExchange) error {
	sap, ok1 := find[*SA](m.Payloads)
	ke, ok2 := find[*KE](m.Payloads)
	nr, ok3 := find[*Nonce](m.Payloads)
	if !ok1 || !ok2 || !ok3 || len(sap.Proposals) != 1 || m.SPIr == 0 {
		return fmt.Errorf("%w: IKE_SA_INIT response lacks SA, KE or nonce", ErrFailed)
	}
	sel, ok := Select(sa.peer.Proposals, sap.Proposals, false)
	st, err := suiteOf(sel)
	if !ok || err != nil || st.dh != ke.Group {
		sa.logc(1, "peer's proposal is unacceptable")
		return fmt.Errorf("%w: unacceptable IKE proposal", ErrFailed)
	}
	shared, err := kex.Shared(ke.Data)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrFailed, err)
	}
	sa.mu.Lock()
	defer sa.mu.Unlock()
	sa.spir, sa.suite, sa.nr = m.SPIr, st, append([]byte(nil), nr.Data...)
	sa.reqID = 1 // IKE_SA_INIT was message 0
	sa.initResp = append([]byte(nil), raw...)
	sa.prf, _ = prfHash(st.prf)
	sa.keys = deriveIKE(st, sa.ni, sa.nr, shared, sa.spii, sa.spir)
	if sa.out, err = newCipherSuite(st, sa.keys.ei, sa.keys.ai); err == nil {
		sa.in, err = newCipherSuite(st, sa.keys.er, sa.keys.ar)
	}
	if err != nil {
		return err
	}
	sa.logc(1, "selected proposal: "+proposalText(sel))
	var src, dst, seenSrc, seenDst bool
	for _, p := range m.Payloads {
		if n, ok := p.(*Notify); ok && n.NType == NNATDetectionSourceIP {
			seenSrc = true
			src = src || bytes.Equal(n.Data, natHash(sa.spii, sa.spir, sa.remote))
		} else if ok && n.NType == NNATDetectionDestinationIP {
			seenDst = true
			dst = dst || bytes.Equal(n.Data, natHash(sa.spii, sa.spir, sa.local))
		}
	}
	sa.natRemote, sa.natLocal = seenSrc && !src, seenDst && !dst
	if sa.natLocal {
		sa.logc(1, "local host is behind NAT, sending keep alives")
	}
	if sa.natRemote {
		sa.logc(1, "remote host is behind NAT")
	}
	if (sa.natLocal || sa.natRemote) && sa.remote.Port() != NATTPort {
		remote := netip.AddrPortFrom(sa.remote.Addr(), NATTPort)
		if local, ok := sa.srv.transport().Local(remote); ok {
			sa.local, sa.remote = local, remote
			sa.logc(2, "switching to port 4500 for NAT traversal")
		}
	}
	// TODO: NAT keepalives are not sent; a NAT mapping that times out
	// cuts the IKE_SA off until the peer's DPD removes it.
	return nil
}
