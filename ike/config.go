package ike

import (
	"log/slog"
	"net/netip"
	"time"

	"github.com/charond/charond/conn"
	"github.com/charond/charond/identity"
	"github.com/charond/charond/kernel"
)

// Peer is a connection as the responder uses it.
type Peer struct {
	Name      string
	Proposals []Proposal        // IKE proposals in configured order
	LocalID   identity.Identity // sent in IDr and used to find the PSK
	RemoteID  identity.Identity // %any accepts every initiator
	Pools     []string          // virtual IP pools in configured order
	Children  []Child
	Unique    string // UniqueNo (also when empty), UniqueNever, UniqueKeep, UniqueReplace
	// Initiating only: where to send IKE_SA_INIT, and the virtual IPs to
	// ask for (an unspecified address asks for any of its family).
	Remote netip.AddrPort
	VIPs   []netip.Addr
	// TODO: authentication other than one round of PSK on each side
	// (certificates, EAP, multiple rounds) is not implemented.
}

// Child is a CHILD_SA configuration.
type Child struct {
	Name      string
	Proposals []Proposal // ESP proposals in configured order
	LocalTS   []conn.TS  // empty means dynamic
	RemoteTS  []conn.TS  // empty means dynamic
	Transport bool       // accept USE_TRANSPORT_MODE
}

// Configs finds the connections that may serve a peer.
type Configs interface {
	// Peers returns the connections usable between the local and remote
	// IKE addresses, best first. IKE_SA_INIT offers their proposals;
	// IKE_AUTH picks the first whose identities fit.
	Peers(local, remote netip.Addr) []*Peer
}

// Initiators finds connections by name, for Server.Initiate.
type Initiators interface {
	// Peer returns the connection called name, if it is loaded and usable.
	Peer(name string) (*Peer, bool)
}

// VirtualIPs installs what an initiator receives: the virtual IPs and DNS
// servers, and source routes from the VIPs to the remote traffic
// selectors. kernel.Manager implements it.
type VirtualIPs interface {
	// Install adds what is new in s; it is called once the IKE_SA has its
	// VIPs and again for each CHILD_SA with its remote selectors.
	Install(s kernel.Setup) error
	// Remove takes back everything installed under the IKE_SA's name.
	Remove(name string) error
}

// Secrets looks up pre-shared keys.
type Secrets interface {
	// PSK returns the shared key for a local and a remote identity.
	PSK(local, remote identity.Identity) ([]byte, bool)
}

// Allocator hands out virtual IP addresses from named pools.
type Allocator interface {
	// Acquire leases an address for id from the pools, tried in order;
	// requested is an any-address of the wanted family or a specific one.
	Acquire(pools []string, id identity.Identity, requested netip.Addr,
		peer netip.AddrPort) (netip.Addr, bool)
	// Release returns a lease taken with Acquire.
	Release(pools []string, id identity.Identity, addr netip.Addr)
	// Attributes returns the configuration attributes of the pools that
	// contain one of vips, for the CFG_REPLY.
	Attributes(pools []string, vips []netip.Addr) []CPAttr
}

// Dataplane installs and removes negotiated CHILD_SAs.
type Dataplane interface {
	Install(sa *ChildSA) error
	Remove(sa *ChildSA) error
}

// ChildSA is a negotiated ESP SA pair as the dataplane needs it. In keys
// protect traffic from the peer, Out keys traffic to it.
type ChildSA struct {
	Name      string // child configuration name
	Unique    uint32 // number of the CHILD_SA, unique per Server
	IKEName   string // connection name with the IKE_SA's unique number
	Local     netip.AddrPort
	Remote    netip.AddrPort
	Encap     bool // UDP encapsulation (port 4500 in use)
	SPIIn     uint32
	SPIOut    uint32
	Encr      uint16 // ESP transform IDs as in the SA payload
	EncrBits  uint16
	Integ     uint16 // 0 for AEAD
	ESN       bool
	Transport bool
	Installed time.Time
	EncrIn    []byte // with the 4-byte salt for AEAD
	EncrOut   []byte
	IntegIn   []byte
	IntegOut  []byte
	LocalTS   []Selector
	RemoteTS  []Selector
}

// NoDataplane installs nothing: it only logs that traffic is not protected.
type NoDataplane struct{ Log *slog.Logger }

// Install logs the CHILD_SA and installs nothing.
func (n NoDataplane) Install(sa *ChildSA) error {
	if n.Log != nil {
		n.Log.Warn("CHILD_SA not installed, traffic is not protected",
			"subsys", "ike", "child", sa.Name, "spi_in", spiText(sa.SPIIn),
			"spi_out", spiText(sa.SPIOut))
	}
	return nil
}

// Remove does nothing.
func (n NoDataplane) Remove(*ChildSA) error { return nil }
