package ike

import (
	"encoding/binary"
	"net/netip"
	"strings"

	"github.com/charond/charond/conn"
)

// expand turns configured selectors into concrete ones: a dynamic selector
// becomes one host selector per address in hosts (none when hosts is
// empty). An empty list counts as a single dynamic selector.
func expand(conf []conn.TS, hosts []netip.Addr) []Selector {
	if len(conf) == 0 {
		conf = []conn.TS{{Dynamic: true, ToPort: 65535}}
	}
	var out []Selector
	for _, c := range conf {
		if !c.Dynamic {
			out = append(out, Selector{Proto: c.Proto, StartPort: c.FromPort,
				EndPort: c.ToPort, Start: c.From, End: c.To})
			continue
		}
		for _, h := range hosts {
			out = append(out, Selector{Proto: c.Proto, StartPort: c.FromPort,
				EndPort: c.ToPort, Start: h, End: h})
		}
	}
	return out
}

// intersect returns the selector both a and b cover.
func intersect(a, b Selector) (Selector, bool) {
	if a.Start.Is4() != b.Start.Is4() {
		return Selector{}, false
	}
	r := Selector{Proto: a.Proto}
	switch {
	case a.Proto == 0:
		r.Proto = b.Proto
	case b.Proto != 0 && b.Proto != a.Proto:
		return Selector{}, false
	}
	// TODO: OPAQUE port ranges (65535..0) are treated as empty.
	r.StartPort, r.EndPort = max(a.StartPort, b.StartPort), min(a.EndPort, b.EndPort)
	if r.StartPort > r.EndPort {
		return Selector{}, false
	}
	r.Start, r.End = a.Start, a.End
	if b.Start.Compare(r.Start) > 0 {
		r.Start = b.Start
	}
	if b.End.Compare(r.End) < 0 {
		r.End = b.End
	}
	if r.Start.Compare(r.End) > 0 {
		return Selector{}, false
	}
	return r, true
}

func contains(outer, inner Selector) bool {
	return outer.Start.Is4() == inner.Start.Is4() &&
		(outer.Proto == 0 || outer.Proto == inner.Proto) &&
		outer.StartPort <= inner.StartPort && outer.EndPort >= inner.EndPort &&
		outer.Start.Compare(inner.Start) <= 0 && outer.End.Compare(inner.End) >= 0
}

// narrow intersects our configured selectors (with dynamic ones resolved
// to hosts) with the peer's proposal, in our order, dropping results
// contained in earlier ones.
func narrow(conf []conn.TS, hosts []netip.Addr, proposed []Selector) []Selector {
	var out []Selector
	for _, c := range expand(conf, hosts) {
		for _, p := range proposed {
			r, ok := intersect(c, p)
			if !ok {
				continue
			}
			dup := false
			for _, o := range out {
				dup = dup || contains(o, r)
			}
			if !dup {
				out = append(out, r)
			}
		}
	}
	return out
}

// negotiateChild sets up the CHILD_SA requested in IKE_AUTH or
// CREATE_CHILD_SA with the exchange's nonces and returns the payloads that
// answer it: SA, [KE,] TSi, TSr, or an error notify.
func (sa *ikeSA) negotiateChild(req []Payload, ni, nr []byte) []Payload {
	log := sa.srv.log
	sap, _ := find[*SA](req)
	var tsi, tsr *TS
	for _, p := range req {
		if t, ok := p.(*TS); ok && t.Responder {
			tsr = t
		} else if ok {
			tsi = t
		}
	}
	if tsi == nil || tsr == nil {
		return []Payload{&Notify{NType: NTSUnacceptable}}
	}
	remoteHosts := sa.vips
	if len(remoteHosts) == 0 && len(sa.peer.Pools) == 0 {
		remoteHosts = []netip.Addr{sa.remote.Addr().Unmap()}
	}
	localHosts := []netip.Addr{sa.local.Addr().Unmap()}
	if sa.initiator { // the gateway asks us for a CHILD_SA
		remoteHosts = []netip.Addr{sa.remote.Addr().Unmap()}
		if len(sa.localVIPs) > 0 {
			localHosts = sa.localVIPs
		}
	}
	var cfg *Child
	var tsI, tsR []Selector
	for i := range sa.peer.Children {
		c := &sa.peer.Children[i]
		tsI = narrow(c.RemoteTS, remoteHosts, tsi.Selectors)
		tsR = narrow(c.LocalTS, localHosts, tsr.Selectors)
		if len(tsI) > 0 && len(tsR) > 0 {
			cfg = c
			break
		}
	}
	if cfg == nil {
		log.Info("no acceptable traffic selectors found, sending TS_UNACCEPTABLE",
			"ike_sa", sa.name(), "tsi", tsText(tsi.Selectors), "tsr", tsText(tsr.Selectors))
		return []Payload{&Notify{NType: NTSUnacceptable}}
	}
	log.Info("selected child config '"+cfg.Name+"'", "ike_sa", sa.name())
	ke, pfs := find[*KE](req)
	var sel Proposal
	var ok bool
	if pfs {
		sel, ok = SelectKE(cfg.Proposals, sap.Proposals, ke.Group)
	} else {
		sel, ok = Select(cfg.Proposals, sap.Proposals, true)
	}
	var st *suite
	if ok && len(sel.SPI) == 4 && sel.Protocol == ProtoESP {
		st, _ = suiteOf(sel)
	}
	if st == nil || (pfs && st.dh == 0) {
		log.Info("no acceptable proposal found, sending NO_PROPOSAL_CHOSEN",
			"ike_sa", sa.name())
		return []Payload{&Notify{NType: NNoProposalChosen}}
	}
	var shared []byte
	var kePayload *KE
	if pfs {
		if st.dh != ke.Group {
			return []Payload{&Notify{NType: NInvalidKEPayload,
				Data: binary.BigEndian.AppendUint16(nil, st.dh)}}
		}
		kex, err := newKeyExchange(st.dh, sa.srv.opt.Rand)
		if err == nil {
			shared, err = kex.Shared(ke.Data)
		}
		if err != nil {
			log.Info("applying DH public value failed", "ike_sa", sa.name(), "err", err)
			return []Payload{&Notify{NType: NNoProposalChosen}}
		}
		kePayload = &KE{Group: st.dh, Data: kex.Public()}
	}
	_, transport := findNotify(req, NUseTransportMode)
	transport = transport && cfg.Transport
	var spiIn uint32
	for spiIn < 0x100 {
		spiIn = binary.BigEndian.Uint32(sa.srv.random(4))
	}
	k := deriveChild(sa.suite, sa.keys.d, st, shared, ni, nr)
	child := &ChildSA{Name: cfg.Name, Unique: sa.srv.nextChildID(), IKEName: sa.name(),
		Local: sa.local, Remote: sa.remote,
		Encap: sa.natLocal || sa.natRemote, SPIIn: spiIn,
		SPIOut: binary.BigEndian.Uint32(sel.SPI), Encr: st.encr, Integ: st.integ,
		ESN: st.esn, Transport: transport, EncrIn: k.ei, IntegIn: k.ai,
		EncrOut: k.er, IntegOut: k.ar, LocalTS: tsR, RemoteTS: tsI,
		Installed: sa.srv.opt.Now()}
	for _, t := range sel.Transforms {
		if t.Type == TransEncr {
			child.EncrBits = t.KeyLen
		}
	}
	if err := sa.srv.opt.Dataplane.Install(child); err != nil {
		log.Error("unable to install CHILD_SA, sending NO_PROPOSAL_CHOSEN",
			"ike_sa", sa.name(), "err", err)
		return []Payload{&Notify{NType: NNoProposalChosen}}
	}
	sa.children = append(sa.children, child)
	sa.childUpDown(child, true)
	log.Info("CHILD_SA "+cfg.Name+"{"+itoa(child.Unique)+"} established with SPIs "+
		spiText(spiIn)+"_i "+spiText(child.SPIOut)+"_o and TS "+tsText(tsR)+" === "+
		tsText(tsI), "ike_sa", sa.name())
	sel.SPI = binary.BigEndian.AppendUint32(nil, spiIn)
	resp := []Payload{&SA{Proposals: []Proposal{sel}}}
	if kePayload != nil {
		resp = append(resp, kePayload)
	}
	resp = append(resp, &TS{Selectors: tsI}, &TS{Responder: true, Selectors: tsR})
	if transport {
		resp = append(resp, &Notify{NType: NUseTransportMode})
	}
	return resp
}

// tsText prints selectors as strongSwan does for whole prefixes and ranges.
func tsText(sel []Selector) string {
	var parts []string
	for _, s := range sel {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, " ")
}

// String prints a selector as a prefix when it is one, else as a range.
func (s Selector) String() string {
	addr := s.Start.String() + ".." + s.End.String()
	for bits := 0; bits <= s.Start.BitLen(); bits++ {
		p, err := s.Start.Prefix(bits)
		if err == nil && p.Addr() == s.Start && lastAddr(p) == s.End {
			addr = p.String()
			break
		}
	}
	if s.Proto == 0 && s.StartPort == 0 && s.EndPort == 65535 {
		return addr
	}
	return addr + "[" + itoa(uint32(s.Proto)) + "/" + itoa(uint32(s.StartPort)) + "-" +
		itoa(uint32(s.EndPort)) + "]"
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	return addrFrom(b)
}
