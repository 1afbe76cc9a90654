package ike

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/charond/charond/kernel"
)

// adoptChild takes the responder's answer to our CHILD_SA request (in
// IKE_AUTH or CREATE_CHILD_SA): the chosen proposal, the narrowed
// selectors, the keys; it installs the SA and the routes to the remote
// selectors.
func (sa *ikeSA) adoptChild(cfg *Child, resp []Payload, spiIn uint32, tsi, tsr []Selector,
	ni, nr []byte, id uint32) error {
	sa.mu.Lock()
	defer sa.mu.Unlock()
	fail := func(why string) error {
		sa.logc(1, why+", no CHILD_SA built")
		return fmt.Errorf("%w: establishing CHILD_SA '%s': %s", ErrFailed, cfg.Name, why)
	}
	sap, ok := find[*SA](resp)
	if !ok || len(sap.Proposals) != 1 || len(sap.Proposals[0].SPI) != 4 {
		return fail("no single ESP proposal in response")
	}
	sel, ok := Select(cfg.Proposals, sap.Proposals, true)
	st, err := suiteOf(sel)
	if !ok || err != nil {
		return fail("peer's proposal is unacceptable")
	}
	sa.logc(1, "selected proposal: "+proposalText(sel))
	var gotI, gotR []Selector
	for _, p := range resp {
		if t, ok := p.(*TS); ok && t.Responder {
			gotR = t.Selectors
		} else if ok {
			gotI = t.Selectors
		}
	}
	if !within(gotI, tsi) || !within(gotR, tsr) {
		return fail("traffic selectors of the response are not within those proposed")
	}
	_, transport := findNotify(resp, NUseTransportMode)
	k := deriveChild(sa.suite, sa.keys.d, st, nil, ni, nr)
	child := &ChildSA{Name: cfg.Name, Unique: id, IKEName: sa.name(), Local: sa.local,
		Remote: sa.remote, Encap: sa.natLocal || sa.natRemote, SPIIn: spiIn,
		SPIOut: binary.BigEndian.Uint32(sel.SPI), Encr: st.encr, Integ: st.integ,
		ESN: st.esn, Transport: transport && cfg.Transport,
		EncrOut: k.ei, IntegOut: k.ai, EncrIn: k.er, IntegIn: k.ar,
		LocalTS: gotI, RemoteTS: gotR, Installed: sa.srv.opt.Now()}
	for _, t := range sel.Transforms {
		if t.Type == TransEncr {
			child.EncrBits = t.KeyLen
		}
	}
	if err := sa.srv.opt.Dataplane.Install(child); err != nil {
		return fail("unable to install CHILD_SA: " + err.Error())
	}
	sa.children = append(sa.children, child)
	sa.childUpDown(child, true)
	if vi := sa.srv.opt.VirtualIPs; vi != nil && len(sa.localVIPs) > 0 {
		var dst []netip.Prefix
		for _, s := range gotR {
			dst = append(dst, rangePrefixes(s.Start, s.End)...)
		}
		err := vi.Install(kernel.Setup{Name: sa.name(), Remote: sa.remote.Addr().Unmap(),
			VIPs: sa.localVIPs, RemoteTS: dst})
		if err != nil {
			sa.logg("KNL", 1, "installing routes failed: "+err.Error())
		}
	}
	sa.logc(0, "CHILD_SA "+cfg.Name+"{"+itoa(id)+"} established with SPIs "+
		spiText(spiIn)+"_i "+spiText(child.SPIOut)+"_o and TS "+tsText(gotI)+" === "+
		tsText(gotR))
	return nil
}

// rangePrefixes splits an address range into the fewest prefixes.
func rangePrefixes(start, end netip.Addr) []netip.Prefix {
	var out []netip.Prefix
	for start.IsValid() && start.Compare(end) <= 0 && len(out) < 256 {
		bits := start.BitLen()
		for bits > 0 {
			p, _ := start.Prefix(bits - 1)
			if p.Addr() != start || lastAddr(p).Compare(end) > 0 {
				break
			}
			bits--
		}
		p := netip.PrefixFrom(start, bits)
		out = append(out, p)
		last := lastAddr(p)
		if last == end {
			break
		}
		start = last.Next()
	}
	return out
}

// Prefixes covers the selector's address range with prefixes; ports and
// protocol are left out.
func (s Selector) Prefixes() []netip.Prefix { return rangePrefixes(s.Start, s.End) }
