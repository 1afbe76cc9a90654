package kernel

import (
	"errors"
	"net/netip"
)

// Protocol marks every address, route and rule charond installs: the
// IFA_PROTO of addresses and the protocol of routes and rules. 196 is not
// assigned in iproute2's rt_protos.
const Protocol = 196

// Defaults of charon.routing_table and charon.routing_table_prio.
const (
	DefaultTable = 220
	DefaultPrio  = 220
)

// Errors of the package.
var (
	// ErrNoRoute reports that the kernel has no route to an address.
	ErrNoRoute = errors.New("kernel: no route")
	// ErrNoLink reports an interface that does not exist.
	ErrNoLink = errors.New("kernel: no such interface")
	// ErrExists reports an entry that is already installed.
	ErrExists = errors.New("kernel: entry exists")
	// ErrNotFound reports an entry that is not installed.
	ErrNotFound = errors.New("kernel: entry not found")
)

// Route is a source route: traffic to Dst leaves through Link from Src,
// by way of Gateway when that is valid.
type Route struct {
	Dst     netip.Prefix
	Src     netip.Addr
	Gateway netip.Addr // invalid: Dst is reached directly on Link
	Link    string
	Table   int
}

// Kernel is what Manager needs from the operating system.
type Kernel interface {
	// Outbound returns the interface and next hop (invalid when the
	// destination is on-link) the kernel uses to reach dst.
	Outbound(dst netip.Addr) (link string, gw netip.Addr, err error)
	// AddVirtualIP adds vip to link, marked with Protocol.
	AddVirtualIP(link string, vip netip.Prefix) error
	// DelVirtualIP removes vip from link.
	DelVirtualIP(link string, vip netip.Prefix) error
	// AddSourceRoute adds r, marked with Protocol.
	AddSourceRoute(r Route) error
	// DelSourceRoute removes r.
	DelSourceRoute(r Route) error
	// AddRule adds "from all lookup table" at priority prio for IPv4
	// and IPv6, marked with Protocol.
	AddRule(table, prio int) error
	// DelRule removes the rules AddRule added.
	DelRule(table, prio int) error
	// Flush removes every address, route and rule marked with Protocol
	// and returns how many entries it removed.
	Flush() (int, error)
}
