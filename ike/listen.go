package ike

import (
	"fmt"
	"net"
	"net/netip"
)

// LocalAddrs returns the addresses of the interfaces that are up, without
// IPv6 link-local ones: what to listen on when no address is configured.
//
// TODO: charon binds the wildcard address and learns the local address of
// each packet (IP_PKTINFO); here addresses added after start are not
// served until a restart.
func LocalAddrs() ([]netip.Addr, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("ike: listing interfaces: %w", err)
	}
	var out []netip.Addr
	for _, i := range ifs {
		if i.Flags&net.FlagUp == 0 {
			continue
		}
		addrs, err := i.Addrs()
		if err != nil {
			return nil, fmt.Errorf("ike: addresses of %s: %w", i.Name, err)
		}
		for _, a := range addrs {
			pfx, err := netip.ParsePrefix(a.String())
			if err != nil || pfx.Addr().IsLinkLocalUnicast() {
				continue
			}
			out = append(out, pfx.Addr().Unmap())
		}
	}
	return out, nil
}

// ListenAddrs pairs every address with the IKE port and the NAT-T port.
func ListenAddrs(addrs []netip.Addr, port, natt uint16) []netip.AddrPort {
	var out []netip.AddrPort
	for _, a := range addrs {
		out = append(out, netip.AddrPortFrom(a, port))
		if natt != port {
			out = append(out, netip.AddrPortFrom(a, natt))
		}
	}
	return out
}
