package ike

import "net/netip"

// assignVIPs serves the client's CFG_REQUEST from the connection's pools
// (pools.md section 8.2). It returns the CFG_REPLY, if any, and an error
// notify type when the CHILD_SA must not be set up.
func (sa *ikeSA) assignVIPs(req []Payload) (*CP, NotifyType) {
	log := sa.srv.log
	var requests []netip.Addr
	for _, p := range req {
		cp, ok := p.(*CP)
		if !ok || cp.CfgType != CfgRequest {
			continue
		}
		for _, a := range cp.Attrs {
			switch {
			case a.Type == AttrIP4Address && len(a.Value) == 0:
				requests = append(requests, netip.IPv4Unspecified())
			case a.Type == AttrIP4Address && len(a.Value) == 4:
				requests = append(requests, addrFrom(a.Value))
			case a.Type == AttrIP6Address && len(a.Value) == 0:
				requests = append(requests, netip.IPv6Unspecified())
			case a.Type == AttrIP6Address && len(a.Value) == 17:
				requests = append(requests, addrFrom(a.Value[:16]))
			}
		}
	}
	pools := sa.peer.Pools
	if len(requests) == 0 {
		if len(pools) > 0 {
			log.Info("expected a virtual IP request, sending FAILED_CP_REQUIRED",
				"ike_sa", sa.name())
			return nil, NFailedCPRequired
		}
		return nil, 0
	}
	if len(pools) == 0 {
		// Without pools there is nothing to offer; the request is ignored.
		return nil, 0
	}
	reply := &CP{CfgType: CfgReply}
	for _, r := range requests {
		log.Info("peer requested virtual IP "+r.String(), "ike_sa", sa.name())
		addr, ok := sa.srv.opt.Allocator.Acquire(pools, sa.remoteID, r, sa.remote)
		if !ok {
			log.Info("no virtual IP found for "+r.String()+" requested by '"+
				sa.remoteID.String()+"'", "ike_sa", sa.name())
			continue
		}
		log.Info("assigning virtual IP "+addr.String()+" to peer '"+
			sa.remoteID.String()+"'", "ike_sa", sa.name())
		sa.vips = append(sa.vips, addr)
		if addr.Is4() {
			reply.Attrs = append(reply.Attrs, CPAttr{Type: AttrIP4Address,
				Value: addr.AsSlice()})
		} else {
			reply.Attrs = append(reply.Attrs, CPAttr{Type: AttrIP6Address,
				Value: append(addr.AsSlice(), 64)})
		}
	}
	if len(sa.vips) == 0 {
		log.Info("no virtual IP found, sending INTERNAL_ADDRESS_FAILURE", "ike_sa", sa.name())
		return nil, NInternalAddressFailure
	}
	reply.Attrs = append(reply.Attrs, sa.srv.opt.Allocator.Attributes(pools, sa.vips)...)
	return reply, 0
}
