package kernel

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netlink/nl"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// ifaProto is IFA_PROTO (Linux 6.3), which golang.org/x/sys does not name.
const ifaProto = 11

// Netlink is the Linux Kernel, talking rtnetlink in one network namespace.
//
// TODO: addresses are marked with IFA_PROTO, which kernels before 6.3
// reject; there the addresses would need a marker of another kind.
type Netlink struct {
	h *netlink.Handle

	mu  sync.Mutex // serialises requests on raw
	raw *nl.SocketHandle
}

// NewNetlink returns a Netlink in the current network namespace.
func NewNetlink() (*Netlink, error) { return NewNetlinkAt(netns.None()) }

// NewNetlinkAt returns a Netlink working in the namespace ns.
func NewNetlinkAt(ns netns.NsHandle) (*Netlink, error) {
	h, err := netlink.NewHandleAt(ns, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("kernel: netlink: %w", err)
	}
	s, err := nl.GetNetlinkSocketAt(ns, netns.None(), unix.NETLINK_ROUTE)
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("kernel: netlink: %w", err)
	}
	return &Netlink{h: h, raw: &nl.SocketHandle{Socket: s}}, nil
}

// Close releases the netlink sockets.
func (n *Netlink) Close() {
	n.h.Close()
	n.raw.Close()
}

// Outbound asks the kernel's routing for dst.
func (n *Netlink) Outbound(dst netip.Addr) (string, netip.Addr, error) {
	rs, err := n.h.RouteGet(dst.AsSlice())
	if err != nil || len(rs) == 0 {
		return "", netip.Addr{}, fmt.Errorf("%w to %s: %w", ErrNoRoute, dst, err)
	}
	l, err := n.h.LinkByIndex(rs[0].LinkIndex)
	if err != nil {
		return "", netip.Addr{}, fmt.Errorf("%w: index %d: %w", ErrNoLink, rs[0].LinkIndex, err)
	}
	gw, _ := netip.AddrFromSlice(rs[0].Gw)
	return l.Attrs().Name, gw.Unmap(), nil
}

func (n *Netlink) linkIndex(name string) (int, error) {
	l, err := n.h.LinkByName(name)
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %w", ErrNoLink, name, err)
	}
	return l.Attrs().Index, nil
}

// addrRequest sends RTM_NEWADDR or RTM_DELADDR for p on link index idx.
func (n *Netlink) addrRequest(op, flags, idx int, p netip.Prefix) error {
	fam := unix.AF_INET
	if p.Addr().Is6() {
		fam = unix.AF_INET6
	}
	req := nl.NewNetlinkRequest(op, flags|unix.NLM_F_ACK)
	msg := nl.NewIfAddrmsg(fam)
	msg.Index = uint32(idx)
	msg.Prefixlen = uint8(p.Bits())
	if op == unix.RTM_NEWADDR && fam == unix.AF_INET6 {
		// No duplicate address detection: a tentative address cannot be
		// a route's source yet.
		msg.Flags = unix.IFA_F_NODAD
	}
	req.AddData(msg)
	ip := p.Addr().AsSlice()
	req.AddData(nl.NewRtAttr(unix.IFA_LOCAL, ip))
	req.AddData(nl.NewRtAttr(unix.IFA_ADDRESS, ip))
	if op == unix.RTM_NEWADDR {
		req.AddData(nl.NewRtAttr(ifaProto, nl.Uint8Attr(Protocol)))
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	req.Sockets = map[int]*nl.SocketHandle{unix.NETLINK_ROUTE: n.raw}
	_, err := req.Execute(unix.NETLINK_ROUTE, 0)
	return mapErr(err)
}

// AddVirtualIP adds vip to link with IFA_PROTO set to Protocol.
func (n *Netlink) AddVirtualIP(link string, vip netip.Prefix) error {
	idx, err := n.linkIndex(link)
	if err != nil {
		return err
	}
	return n.addrRequest(unix.RTM_NEWADDR, unix.NLM_F_CREATE|unix.NLM_F_EXCL, idx, vip)
}

// DelVirtualIP removes vip from link.
func (n *Netlink) DelVirtualIP(link string, vip netip.Prefix) error {
	idx, err := n.linkIndex(link)
	if err != nil {
		return err
	}
	return n.addrRequest(unix.RTM_DELADDR, 0, idx, vip)
}

func (n *Netlink) route(r Route) (*netlink.Route, error) {
	idx, err := n.linkIndex(r.Link)
	if err != nil {
		return nil, err
	}
	nr := &netlink.Route{LinkIndex: idx, Table: r.Table, Protocol: Protocol,
		Dst: &net.IPNet{IP: r.Dst.Addr().AsSlice(),
			Mask: net.CIDRMask(r.Dst.Bits(), r.Dst.Addr().BitLen())},
		Src: r.Src.AsSlice(), Scope: netlink.SCOPE_LINK}
	if r.Gateway.IsValid() {
		nr.Gw, nr.Scope = r.Gateway.AsSlice(), netlink.SCOPE_UNIVERSE
	}
	return nr, nil
}

// AddSourceRoute adds r with protocol Protocol.
func (n *Netlink) AddSourceRoute(r Route) error {
	nr, err := n.route(r)
	if err != nil {
		return err
	}
	return mapErr(n.h.RouteAdd(nr))
}

// DelSourceRoute removes r.
func (n *Netlink) DelSourceRoute(r Route) error {
	nr, err := n.route(r)
	if err != nil {
		return err
	}
	return mapErr(n.h.RouteDel(nr))
}

func rules(table, prio int) []*netlink.Rule {
	var out []*netlink.Rule
	for _, fam := range []int{netlink.FAMILY_V4, netlink.FAMILY_V6} {
		r := netlink.NewRule()
		r.Family, r.Table, r.Priority, r.Protocol = fam, table, prio, Protocol
		out = append(out, r)
	}
	return out
}

// AddRule adds "from all lookup table" at prio for both families.
func (n *Netlink) AddRule(table, prio int) error {
	for _, r := range rules(table, prio) {
		if err := mapErr(n.h.RuleAdd(r)); err != nil && !errors.Is(err, ErrExists) {
			return err
		}
	}
	return nil
}

// DelRule removes the rules of AddRule.
func (n *Netlink) DelRule(table, prio int) error {
	var first error
	for _, r := range rules(table, prio) {
		if err := mapErr(n.h.RuleDel(r)); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Flush removes every rule, route and address marked with Protocol.
func (n *Netlink) Flush() (int, error) {
	count := 0
	for _, fam := range []int{netlink.FAMILY_V4, netlink.FAMILY_V6} {
		rs, err := n.h.RuleList(fam)
		if err != nil {
			return count, fmt.Errorf("kernel: listing rules: %w", err)
		}
		for _, r := range rs {
			if r.Protocol == Protocol {
				if err := n.h.RuleDel(&r); err != nil {
					return count, fmt.Errorf("kernel: removing rule: %w", err)
				}
				count++
			}
		}
	}
	routes, err := n.h.RouteListFiltered(netlink.FAMILY_ALL,
		&netlink.Route{Table: unix.RT_TABLE_UNSPEC, Protocol: Protocol},
		netlink.RT_FILTER_TABLE|netlink.RT_FILTER_PROTOCOL)
	if err != nil {
		return count, fmt.Errorf("kernel: listing routes: %w", err)
	}
	for _, r := range routes {
		if err := n.h.RouteDel(&r); err != nil {
			return count, fmt.Errorf("kernel: removing route %s: %w", r.Dst, err)
		}
		count++
	}
	addrs, err := n.markedAddrs()
	if err != nil {
		return count, err
	}
	for _, a := range addrs {
		if err := n.addrRequest(unix.RTM_DELADDR, 0, a.idx, a.p); err != nil {
			return count, fmt.Errorf("kernel: removing address %s: %w", a.p, err)
		}
		count++
	}
	return count, nil
}

type markedAddr struct {
	idx int
	p   netip.Prefix
}

// markedAddrs dumps the addresses whose IFA_PROTO is Protocol, which
// netlink.AddrList does not report.
func (n *Netlink) markedAddrs() ([]markedAddr, error) {
	req := nl.NewNetlinkRequest(unix.RTM_GETADDR, unix.NLM_F_DUMP)
	req.AddData(nl.NewIfAddrmsg(unix.AF_UNSPEC))
	n.mu.Lock()
	req.Sockets = map[int]*nl.SocketHandle{unix.NETLINK_ROUTE: n.raw}
	msgs, err := req.Execute(unix.NETLINK_ROUTE, unix.RTM_NEWADDR)
	n.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("kernel: listing addresses: %w", err)
	}
	var out []markedAddr
	for _, m := range msgs {
		msg := nl.DeserializeIfAddrmsg(m)
		attrs, err := nl.ParseRouteAttr(m[msg.Len():])
		if err != nil {
			return nil, fmt.Errorf("kernel: parsing address: %w", err)
		}
		var ip netip.Addr
		ours := false
		for _, a := range attrs {
			switch a.Attr.Type {
			case unix.IFA_LOCAL, unix.IFA_ADDRESS:
				if v, ok := netip.AddrFromSlice(a.Value); ok && !ip.IsValid() {
					ip = v
				}
			case ifaProto:
				ours = len(a.Value) == 1 && a.Value[0] == Protocol
			}
		}
		if ours && ip.IsValid() {
			out = append(out, markedAddr{int(msg.Index), netip.PrefixFrom(ip, int(msg.Prefixlen))})
		}
	}
	return out, nil
}

func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EEXIST):
		return fmt.Errorf("%w: %w", ErrExists, err)
	case errors.Is(err, unix.ESRCH), errors.Is(err, unix.ENOENT),
		errors.Is(err, unix.EADDRNOTAVAIL):
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return fmt.Errorf("kernel: %w", err)
}
