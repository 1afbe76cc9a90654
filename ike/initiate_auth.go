package ike

import (
	"context"
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"

	"github.com/charond/charond/conn"
	"github.com/charond/charond/identity"
	"github.com/charond/charond/kernel"
)

// Configuration attributes for DNS servers (RFC 7296 section 3.15.1).
const (
	AttrIP4DNS uint16 = 3
	AttrIP6DNS uint16 = 10
)

// cpRequest asks for each virtual IP of the connection, and for DNS
// servers of the families asked for.
func cpRequest(vips []netip.Addr) *CP {
	cp := &CP{CfgType: CfgRequest}
	var v4, v6 bool
	for _, v := range vips {
		switch {
		case v.Is4() && v.IsUnspecified():
			cp.Attrs = append(cp.Attrs, CPAttr{Type: AttrIP4Address})
		case v.Is4():
			cp.Attrs = append(cp.Attrs, CPAttr{Type: AttrIP4Address, Value: v.AsSlice()})
		case v.IsUnspecified():
			cp.Attrs = append(cp.Attrs, CPAttr{Type: AttrIP6Address})
		default:
			cp.Attrs = append(cp.Attrs, CPAttr{Type: AttrIP6Address,
				Value: append(v.AsSlice(), 128)})
		}
		v4, v6 = v4 || v.Is4(), v6 || v.Is6()
	}
	if v4 {
		cp.Attrs = append(cp.Attrs, CPAttr{Type: AttrIP4DNS})
	}
	if v6 {
		cp.Attrs = append(cp.Attrs, CPAttr{Type: AttrIP6DNS})
	}
	return cp
}

// cpReply reads the virtual IPs and DNS servers of a CFG_REPLY.
func cpReply(ps []Payload) (vips, dns []netip.Addr) {
	for _, p := range ps {
		cp, ok := p.(*CP)
		if !ok || cp.CfgType != CfgReply {
			continue
		}
		for _, a := range cp.Attrs {
			switch {
			case a.Type == AttrIP4Address && len(a.Value) == 4,
				a.Type == AttrIP6Address && len(a.Value) == 17:
				vips = append(vips, addrFrom(a.Value[:len(a.Value)/4*4]))
			case a.Type == AttrIP4DNS && len(a.Value) == 4,
				a.Type == AttrIP6DNS && len(a.Value) == 16:
				dns = append(dns, addrFrom(a.Value))
			}
		}
	}
	return vips, dns
}

// proposeTS builds the selectors we propose for one side: configured ones
// as they are, dynamic ones as the given hosts, where an unspecified host
// (a virtual IP not assigned yet) stands for its whole family.
func proposeTS(conf []conn.TS, hosts []netip.Addr) []Selector {
	out := expand(conf, hosts)
	for i, s := range out {
		if s.Start.IsUnspecified() {
			out[i].End = lastAddr(netip.PrefixFrom(s.Start, 0))
		}
	}
	return out
}

// within reports whether every selector of got lies in one we proposed.
func within(got, proposed []Selector) bool {
	for _, g := range got {
		ok := false
		for _, p := range proposed {
			ok = ok || contains(p, g)
		}
		if !ok {
			return false
		}
	}
	return len(got) > 0
}

func isESN(t Transform) bool { return t.Type == TransESN }

// childRequest are the payloads that ask for a CHILD_SA of cfg: SA with a
// fresh inbound SPI, TSi and TSr; it returns the SPI too.
func (sa *ikeSA) childRequest(cfg *Child, tsi, tsr []Selector) ([]Payload, uint32) {
	spi := binary.BigEndian.Uint32(sa.srv.random(4)) | 0xc0000000
	props := append([]Proposal(nil), cfg.Proposals...)
	for i := range props {
		props[i].Num = uint8(i + 1)
		props[i].SPI = binary.BigEndian.AppendUint32(nil, spi)
		// ESP proposals must carry an ESN transform (RFC 7296 section
		// 3.3.3); without one configured, offer no ESN.
		if !slices.ContainsFunc(props[i].Transforms, isESN) {
			props[i].Transforms = append(slices.Clone(props[i].Transforms),
				Transform{Type: TransESN})
		}
	}
	ps := []Payload{&SA{Proposals: props}, &TS{Selectors: tsi},
		&TS{Responder: true, Selectors: tsr}}
	if cfg.Transport {
		ps = append(ps, &Notify{NType: NUseTransportMode})
	}
	return ps, spi
}

// authExchange runs IKE_AUTH with a PSK, the CFG_REQUEST and the first
// CHILD_SA.
func (sa *ikeSA) authExchange(ctx context.Context, cfg *Child) error {
	sa.mu.Lock()
	psk, ok := sa.srv.opt.Secrets.PSK(sa.localID, sa.remoteID)
	if !ok {
		sa.mu.Unlock()
		sa.logc(1, "no shared key found for '"+sa.localID.String()+"' - '"+
			sa.remoteID.String()+"'")
		return fmt.Errorf("%w: no shared key", ErrFailed)
	}
	idi := &ID{IDType: uint8(sa.localID.Type()), Data: sa.localID.Data()}
	ps := []Payload{idi}
	if !sa.remoteID.IsAny() {
		ps = append(ps, &ID{Responder: true, IDType: uint8(sa.remoteID.Type()),
			Data: sa.remoteID.Data()})
	}
	ps = append(ps, &Auth{Method: AuthPSK,
		Data: pskAuth(sa.prf, psk, sa.keys.pi, sa.initReq, sa.nr, idBody(idi))})
	localHosts := []netip.Addr{sa.local.Addr().Unmap()}
	if len(sa.peer.VIPs) > 0 {
		ps = append(ps, cpRequest(sa.peer.VIPs))
		localHosts = sa.peer.VIPs
	}
	tsi := proposeTS(cfg.LocalTS, localHosts)
	tsr := proposeTS(cfg.RemoteTS, []netip.Addr{sa.remote.Addr().Unmap()})
	childPs, spi := sa.childRequest(cfg, tsi, tsr)
	ps = append(ps, childPs...)
	ps = append(ps, &Notify{NType: NInitialContact})
	sa.mu.Unlock()
	sa.logc(1, "authentication of '"+sa.localID.String()+"' (myself) with pre-shared key")
	cid := sa.srv.nextChildID()
	sa.logc(1, "establishing CHILD_SA "+cfg.Name+"{"+itoa(cid)+"}")

	resp, err := sa.request(ctx, IKEAuth, ps)
	if err != nil {
		return err
	}
	if err := sa.checkAuth(resp, psk); err != nil {
		return err
	}
	if err := sa.applyConfig(resp); err != nil {
		sa.deleteSelf(ctx)
		return err
	}
	sa.mu.Lock()
	sa.ikeUpDown(true) // with the virtual IPs just received
	sa.mu.Unlock()
	if n, ok := errorNotify(resp); ok {
		sa.logc(1, "received "+n.NType.String()+" notify, no CHILD_SA built")
		return fmt.Errorf("%w: establishing CHILD_SA '%s': peer sent %s", ErrFailed,
			cfg.Name, n.NType)
	}
	return sa.adoptChild(cfg, resp, spi, tsi, tsr, sa.ni, sa.nr, cid)
}

// checkAuth verifies the responder's identity and AUTH payload and
// establishes the IKE_SA.
func (sa *ikeSA) checkAuth(resp []Payload, psk []byte) error {
	sa.mu.Lock()
	defer sa.mu.Unlock()
	idr, ok := findID(resp, true)
	auth, ok2 := find[*Auth](resp)
	if !ok || !ok2 {
		n, _ := errorNotify(resp)
		reason := "no IDr or AUTH"
		if n != nil {
			reason = n.NType.String()
		}
		sa.logc(1, "received "+reason+" notify error")
		return fmt.Errorf("%w: IKE_AUTH: %s", ErrFailed, reason)
	}
	got := identity.New(identity.Type(idr.IDType), idr.Data).Clone()
	want := pskAuth(sa.prf, psk, sa.keys.pr, sa.initResp, sa.ni, idBody(idr))
	if (!sa.remoteID.IsAny() && got != sa.remoteID) || auth.Method != AuthPSK ||
		!authEqual(want, auth.Data) {
		sa.logc(1, "verification of AUTH payload of '"+got.String()+"' failed")
		return fmt.Errorf("%w: authentication of '%s' failed", ErrFailed, got)
	}
	sa.remoteID = got
	sa.logc(1, "authentication of '"+got.String()+"' with pre-shared key successful")
	sa.state = stateEstablished
	sa.done.Store(true)
	sa.established = sa.srv.opt.Now()
	sa.publishUnique() // a peer's INITIAL_CONTACT or unique policy may end it
	sa.logc(0, "IKE_SA "+sa.name()+" established between "+endpoint(sa.local, sa.localID)+
		"..."+endpoint(sa.remote, sa.remoteID))
	return nil
}

// applyConfig takes the CFG_REPLY: virtual IPs and DNS servers, installed
// through Options.VirtualIPs.
func (sa *ikeSA) applyConfig(resp []Payload) error {
	sa.mu.Lock()
	defer sa.mu.Unlock()
	vips, dns := cpReply(resp)
	if len(sa.peer.VIPs) > 0 && len(vips) == 0 {
		sa.logc(1, "peer didn't assign any virtual IP, deleting IKE_SA")
		return fmt.Errorf("%w: no virtual IP assigned", ErrFailed)
	}
	sa.localVIPs, sa.dns = vips, dns
	vi := sa.srv.opt.VirtualIPs
	if vi == nil {
		if len(vips) > 0 {
			sa.logc(1, "virtual IPs received but not installed: no kernel interface")
		}
		return nil
	}
	for _, v := range vips {
		sa.logc(1, "installing new virtual IP "+v.String())
	}
	for _, d := range dns {
		sa.logg("CFG", 1, "installing DNS server "+d.String())
	}
	if err := vi.Install(kernel.Setup{Name: sa.name(), Remote: sa.remote.Addr().Unmap(),
		VIPs: vips, DNS: dns}); err != nil {
		sa.logc(1, "installing virtual IP failed: "+err.Error())
		return fmt.Errorf("%w: %w", ErrFailed, err)
	}
	return nil
}
