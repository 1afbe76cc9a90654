package kernel

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"sync"
)

// Setup is what one IKE_SA received and wants installed.
type Setup struct {
	Name     string     // the IKE_SA's name, e.g. "carol[1]"; keys Remove
	Remote   netip.Addr // the gateway's IKE address, to find the outbound interface
	VIPs     []netip.Addr
	RemoteTS []netip.Prefix // destinations of the source routes
	DNS      []netip.Addr
}

// Options configure a Manager.
type Options struct {
	Kernel Kernel
	DNS    DNS // nil ignores DNS servers
	// Interface takes the virtual IPs (charon.install_virtual_ip_on);
	// empty means the interface that leads to the gateway.
	Interface string
	// Table is charon.routing_table: 0 installs no routes (and no rule).
	Table int
	// Prio is charon.routing_table_prio, the priority of the rule.
	Prio int
	Log  *slog.Logger // nil discards
}

type installed struct {
	link   string // interface holding the VIPs
	vips   []netip.Prefix
	routes []Route
	dns    bool
}

// Manager installs Setups through a Kernel and remembers them by name, so
// that Remove and Close take back exactly what was added. It is safe for
// concurrent use.
type Manager struct {
	opt Options
	log *slog.Logger

	mu   sync.Mutex // guards the fields below
	sas  map[string]*installed
	rule bool // the routing rule is installed
}

// NewManager returns a Manager; call Start before Install.
func NewManager(o Options) *Manager {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Manager{opt: o, log: o.Log.With("subsys", "knl"), sas: map[string]*installed{}}
}

// Start removes what an earlier charond left behind (entries marked with
// Protocol, DNS lines of its own) and installs the routing rule.
func (m *Manager) Start() error {
	n, err := m.opt.Kernel.Flush()
	if n > 0 {
		m.log.Info(fmt.Sprintf("removed %d leftover kernel entries of an earlier run", n))
	}
	if err != nil {
		return fmt.Errorf("kernel: flushing leftovers: %w", err)
	}
	if f, ok := m.opt.DNS.(interface{ Flush() error }); ok {
		if err := f.Flush(); err != nil {
			return fmt.Errorf("kernel: flushing DNS leftovers: %w", err)
		}
	}
	if m.opt.Table == 0 {
		return nil
	}
	if err := m.opt.Kernel.AddRule(m.opt.Table, m.opt.Prio); err != nil {
		return fmt.Errorf("kernel: routing rule: %w", err)
	}
	m.mu.Lock()
	m.rule = true
	m.mu.Unlock()
	return nil
}

// Install adds the setup's virtual IPs, a source route per remote traffic
// selector from the VIP of its family, and the DNS servers. Installing a
// name again adds what is new (the selectors of a further CHILD_SA).
func (m *Manager) Install(s Setup) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	link, gw, err := m.opt.Kernel.Outbound(s.Remote)
	if err != nil {
		return fmt.Errorf("kernel: interface to %s: %w", s.Remote, err)
	}
	in := m.sas[s.Name]
	if in == nil {
		in = &installed{link: link}
		if m.opt.Interface != "" {
			in.link = m.opt.Interface
		}
		m.sas[s.Name] = in
	}
	for _, v := range s.VIPs {
		p := netip.PrefixFrom(v, v.BitLen())
		if slices.Contains(in.vips, p) {
			continue
		}
		m.log.Debug("adding virtual IP "+v.String(), "link", in.link)
		if err := m.opt.Kernel.AddVirtualIP(in.link, p); err != nil {
			return fmt.Errorf("kernel: installing virtual IP %s: %w", v, err)
		}
		in.vips = append(in.vips, p)
	}
	if m.opt.Table != 0 {
		if err := m.addRoutes(in, s, link, gw); err != nil {
			return err
		}
	}
	if m.opt.DNS != nil && len(s.DNS) > 0 && !in.dns {
		if err := m.opt.DNS.Add(s.Name, s.DNS); err != nil {
			return fmt.Errorf("kernel: installing DNS servers: %w", err)
		}
		in.dns = true
	}
	return nil
}

func (m *Manager) addRoutes(in *installed, s Setup, link string, gw netip.Addr) error {
	for _, dst := range s.RemoteTS {
		var src netip.Addr
		for _, v := range s.VIPs {
			if v.Is4() == dst.Addr().Is4() {
				src = v
				break
			}
		}
		if !src.IsValid() {
			continue // no VIP of this family: the host's own address is used
		}
		r := Route{Dst: dst.Masked(), Src: src, Link: link, Table: m.opt.Table}
		if gw.IsValid() && gw.Is4() == src.Is4() {
			r.Gateway = gw
		}
		if slices.Contains(in.routes, r) {
			continue
		}
		// TODO: a remote selector that covers the gateway's own address
		// (0.0.0.0/0) is installed as it is; strongSwan's exclusion of the
		// IKE traffic from such a route is not implemented.
		m.log.Debug("installing route", "dst", r.Dst, "src", r.Src, "link", r.Link,
			"table", r.Table)
		if err := m.opt.Kernel.AddSourceRoute(r); err != nil && !errors.Is(err, ErrExists) {
			return fmt.Errorf("kernel: installing route to %s: %w", dst, err)
		}
		in.routes = append(in.routes, r)
	}
	return nil
}

// Remove takes back everything installed under name. It goes on after an
// error and returns the first one.
func (m *Manager) Remove(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	in := m.sas[name]
	if in == nil {
		return nil
	}
	delete(m.sas, name)
	return m.remove(name, in)
}

func (m *Manager) remove(name string, in *installed) error {
	var first error
	keep := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	for _, r := range in.routes {
		if err := m.opt.Kernel.DelSourceRoute(r); err != nil && !errors.Is(err, ErrNotFound) {
			keep(fmt.Errorf("kernel: removing route to %s: %w", r.Dst, err))
		}
	}
	for _, p := range in.vips {
		m.log.Debug("deleting virtual IP "+p.Addr().String(), "link", in.link)
		if err := m.opt.Kernel.DelVirtualIP(in.link, p); err != nil &&
			!errors.Is(err, ErrNotFound) {
			keep(fmt.Errorf("kernel: removing virtual IP %s: %w", p.Addr(), err))
		}
	}
	if in.dns {
		keep(m.opt.DNS.Remove(name))
	}
	return first
}

// Close removes everything still installed and the routing rule, as on
// shutdown.
func (m *Manager) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var first error
	for name, in := range m.sas {
		if err := m.remove(name, in); err != nil && first == nil {
			first = err
		}
	}
	m.sas = map[string]*installed{}
	if m.rule {
		m.rule = false
		if err := m.opt.Kernel.DelRule(m.opt.Table, m.opt.Prio); err != nil && first == nil {
			first = fmt.Errorf("kernel: removing routing rule: %w", err)
		}
	}
	return first
}
