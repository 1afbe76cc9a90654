package kernel

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"sync"
)

// Fake is an in-memory Kernel. Links and their routes to the outside are
// declared with AddLink and AddPath; everything else starts empty. Entries
// it starts with (as if left by an earlier run) are added with the Kernel
// methods before the code under test runs.
type Fake struct {
	mu     sync.Mutex // guards the fields below
	links  map[string]bool
	paths  map[netip.Prefix]fakePath
	addrs  map[string][]netip.Prefix // link -> marked addresses
	routes []Route
	rules  map[[2]int]bool
}

type fakePath struct {
	link string
	gw   netip.Addr
}

// NewFake returns an empty Fake.
func NewFake() *Fake {
	return &Fake{links: map[string]bool{}, paths: map[netip.Prefix]fakePath{},
		addrs: map[string][]netip.Prefix{}, rules: map[[2]int]bool{}}
}

// AddLink declares an interface.
func (f *Fake) AddLink(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.links[name] = true
}

// AddPath declares that dst is reached on link, by way of gw if valid.
func (f *Fake) AddPath(dst netip.Prefix, link string, gw netip.Addr) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.links[link] = true
	f.paths[dst] = fakePath{link, gw}
}

// Outbound returns the path of the longest declared prefix holding dst.
func (f *Fake) Outbound(dst netip.Addr) (string, netip.Addr, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	best := -1
	var p fakePath
	for pfx, path := range f.paths {
		if pfx.Contains(dst) && pfx.Bits() > best {
			best, p = pfx.Bits(), path
		}
	}
	if best < 0 {
		return "", netip.Addr{}, fmt.Errorf("%w to %s", ErrNoRoute, dst)
	}
	return p.link, p.gw, nil
}

// AddVirtualIP adds vip to link.
func (f *Fake) AddVirtualIP(link string, vip netip.Prefix) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.links[link] {
		return fmt.Errorf("%w: %s", ErrNoLink, link)
	}
	if slices.Contains(f.addrs[link], vip) {
		return fmt.Errorf("%w: %s on %s", ErrExists, vip, link)
	}
	f.addrs[link] = append(f.addrs[link], vip)
	return nil
}

// DelVirtualIP removes vip from link.
func (f *Fake) DelVirtualIP(link string, vip netip.Prefix) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := slices.Index(f.addrs[link], vip)
	if i < 0 {
		return fmt.Errorf("%w: %s on %s", ErrNotFound, vip, link)
	}
	f.addrs[link] = slices.Delete(f.addrs[link], i, i+1)
	return nil
}

// AddSourceRoute adds r; its source must be an address of some link, as
// the kernel demands.
func (f *Fake) AddSourceRoute(r Route) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.links[r.Link] {
		return fmt.Errorf("%w: %s", ErrNoLink, r.Link)
	}
	local := false
	for _, as := range f.addrs {
		for _, a := range as {
			local = local || a.Addr() == r.Src
		}
	}
	if !local {
		return fmt.Errorf("kernel: source %s is not a local address", r.Src)
	}
	if slices.Contains(f.routes, r) {
		return fmt.Errorf("%w: route to %s", ErrExists, r.Dst)
	}
	f.routes = append(f.routes, r)
	return nil
}

// DelSourceRoute removes r.
func (f *Fake) DelSourceRoute(r Route) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := slices.Index(f.routes, r)
	if i < 0 {
		return fmt.Errorf("%w: route to %s", ErrNotFound, r.Dst)
	}
	f.routes = slices.Delete(f.routes, i, i+1)
	return nil
}

// AddRule records the rule.
func (f *Fake) AddRule(table, prio int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules[[2]int{table, prio}] = true
	return nil
}

// DelRule forgets the rule.
func (f *Fake) DelRule(table, prio int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.rules[[2]int{table, prio}] {
		return fmt.Errorf("%w: rule %d", ErrNotFound, prio)
	}
	delete(f.rules, [2]int{table, prio})
	return nil
}

// Flush removes all addresses, routes and rules.
func (f *Fake) Flush() (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.routes) + len(f.rules)
	for _, as := range f.addrs {
		n += len(as)
	}
	f.addrs, f.routes = map[string][]netip.Prefix{}, nil
	f.rules = map[[2]int]bool{}
	return n, nil
}

// State lists the installed entries as sorted lines ("addr LINK PREFIX",
// "route TABLE DST src SRC [via GW] dev LINK", "rule PRIO table TABLE"),
// for tests to compare.
func (f *Fake) State() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for link, as := range f.addrs {
		for _, a := range as {
			out = append(out, "addr "+link+" "+a.String())
		}
	}
	for _, r := range f.routes {
		s := fmt.Sprintf("route %d %s src %s", r.Table, r.Dst, r.Src)
		if r.Gateway.IsValid() {
			s += " via " + r.Gateway.String()
		}
		out = append(out, s+" dev "+r.Link)
	}
	for k := range f.rules {
		out = append(out, fmt.Sprintf("rule %d table %d", k[1], k[0]))
	}
	sort.Strings(out)
	return out
}
