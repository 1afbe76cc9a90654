package ike

import (
	"fmt"
	"log/slog"
	"net/netip"
	"strings"

	"github.com/charond/charond/conn"
	"github.com/charond/charond/creds"
	"github.com/charond/charond/identity"
	"github.com/charond/charond/pool"
)

// PoolAllocator serves virtual IPs from a pool.Manager and logs what the
// manager reports, as strongSwan's config subsystem does.
type PoolAllocator struct {
	Pools *pool.Manager
	Log   *slog.Logger // nil discards
}

// Acquire leases an address from the named pools.
func (p PoolAllocator) Acquire(pools []string, id identity.Identity, req netip.Addr,
	peer netip.AddrPort) (netip.Addr, bool) {
	g := p.Pools.Acquire(pools, id, req, peer)
	for _, n := range g.Notes() {
		p.log(n)
	}
	return g.Addr, g.How != pool.NotAssigned
}

// Release gives a lease back.
func (p PoolAllocator) Release(pools []string, id identity.Identity, addr netip.Addr) {
	if r, ok := p.Pools.Release(pools, id, addr); ok && r.WentOffline {
		p.log(r.Note())
	}
}

// Attributes returns the attributes of the pools holding one of vips.
func (p PoolAllocator) Attributes(pools []string, vips []netip.Addr) []CPAttr {
	var out []CPAttr
	for _, a := range p.Pools.Attributes(pools, vips) {
		out = append(out, CPAttr{Type: uint16(a.Type), Value: a.Value})
	}
	return out
}

func (p PoolAllocator) log(msg string) {
	if p.Log != nil && msg != "" {
		p.Log.Info(msg, "subsys", "pool")
	}
}

// CredsSecrets finds PSKs in a creds.Store.
type CredsSecrets struct{ Store *creds.Store }

// PSK returns the best IKE shared key for the pair of identities.
func (c CredsSecrets) PSK(local, remote identity.Identity) ([]byte, bool) {
	s, ok := c.Store.Lookup(creds.IKE, local, remote)
	if !ok {
		return nil, false
	}
	return s.Data, true
}

// ConnConfigs offers the IKEv2 PSK connections of a conn.Store. Connections
// with proposals this package cannot use are skipped and logged.
type ConnConfigs struct {
	Store *conn.Store
	Log   *slog.Logger // nil discards
}

// Peers returns the loaded connections usable between local and remote, in
// load order.
func (c ConnConfigs) Peers(local, remote netip.Addr) []*Peer {
	var out []*Peer
	for _, cfg := range c.Store.Snapshot() {
		if cfg.Version == 1 || !addrsMatch(cfg.LocalAddrs, local) ||
			!addrsMatch(cfg.RemoteAddrs, remote) {
			continue
		}
		p, err := PeerFromConfig(cfg, local)
		if err != nil {
			if c.Log != nil {
				c.Log.Info("skipping connection", "subsys", "ike", "conn", cfg.Name, "err", err)
			}
			continue
		}
		out = append(out, p)
	}
	return out
}

// Peer returns the loaded IKEv2 connection called name, for initiating.
// Its local identity, when not configured, is left to the initiator's
// address.
func (c ConnConfigs) Peer(name string) (*Peer, bool) {
	for _, cfg := range c.Store.Snapshot() {
		if cfg.Name != name || cfg.Version == 1 {
			continue
		}
		p, err := PeerFromConfig(cfg, netip.Addr{})
		if err != nil {
			if c.Log != nil {
				c.Log.Info("unable to initiate connection", "subsys", "ike", "conn", name,
					"err", err)
			}
			return nil, false
		}
		return p, true
	}
	return nil, false
}

// parseVIPs reads the vips option: addresses, with %any and %any6 for the
// unspecified ones.
func parseVIPs(list []string) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, s := range list {
		switch s = strings.TrimSpace(s); s {
		case "%any", "%any4":
			out = append(out, netip.IPv4Unspecified())
		case "%any6":
			out = append(out, netip.IPv6Unspecified())
		default:
			a, err := netip.ParseAddr(s)
			if err != nil {
				return nil, fmt.Errorf("ike: invalid virtual IP %q: %w", s, err)
			}
			out = append(out, a.Unmap())
		}
	}
	return out, nil
}

// remoteOf is the first literal address of remote_addrs with the remote
// port (500 by default); invalid when there is none.
//
// TODO: host names in remote_addrs are not resolved for initiating.
func remoteOf(cfg *conn.Config) netip.AddrPort {
	port := cfg.RemotePort
	if port == 0 {
		port = 500
	}
	for _, s := range cfg.RemoteAddrs {
		if a, err := netip.ParseAddr(strings.TrimSpace(s)); err == nil && !a.IsUnspecified() {
			return netip.AddrPortFrom(a.Unmap(), port)
		}
	}
	return netip.AddrPort{}
}

// addrsMatch reports whether a is in a local_addrs/remote_addrs list.
//
// TODO: host names and address ranges (a-b) in the list are not resolved
// and never match.
func addrsMatch(list []string, a netip.Addr) bool {
	if len(list) == 0 {
		return true
	}
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "%any" || s == "%any4" && a.Is4() || s == "%any6" && a.Is6() {
			return true
		}
		if pfx, err := netip.ParsePrefix(s); err == nil && pfx.Contains(a) {
			return true
		}
		if ip, err := netip.ParseAddr(s); err == nil && ip.Unmap() == a.Unmap() {
			return true
		}
	}
	return false
}

// PeerFromConfig converts a loaded connection for use on the given local
// address (the default local identity). Only a single PSK round on each
// side is supported.
func PeerFromConfig(cfg *conn.Config, local netip.Addr) (*Peer, error) {
	if len(cfg.Local) != 1 || len(cfg.Remote) != 1 ||
		cfg.Local[0].Class != conn.AuthPSK || cfg.Remote[0].Class != conn.AuthPSK {
		return nil, ErrUnsupportedAuth
	}
	props, err := ParseProposals(ProtoIKE, cfg.Proposals)
	if err != nil {
		return nil, err
	}
	p := &Peer{Name: cfg.Name, Proposals: props, Pools: cfg.Pools, Unique: cfg.Unique}
	if local.IsValid() {
		p.LocalID = identity.FromAddr(local.Unmap())
	}
	if p.VIPs, err = parseVIPs(cfg.Vips); err != nil {
		return nil, err
	}
	p.Remote = remoteOf(cfg)
	if id := cfg.Local[0].ID; id != "" {
		p.LocalID = identity.Parse(id)
	}
	if id := cfg.Remote[0].ID; id != "" {
		p.RemoteID = identity.Parse(id)
	}
	for _, ch := range cfg.Children {
		esp, err := ParseProposals(ProtoESP, ch.ESPProposals)
		if err != nil {
			return nil, err
		}
		p.Children = append(p.Children, Child{Name: ch.Name, Proposals: esp,
			LocalTS: ch.LocalTS, RemoteTS: ch.RemoteTS, Transport: ch.Mode == "transport"})
	}
	return p, nil
}
