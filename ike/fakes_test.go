package ike

import (
	"fmt"
	"net/netip"
	"sync"

	"github.com/charond/charond/conn"
	"github.com/charond/charond/identity"
)

// staticConfigs serves the same peers for every address pair.
type staticConfigs []*Peer

func (c staticConfigs) Peers(local, remote netip.Addr) []*Peer { return c }

// pskTable maps "local|remote" identities to keys.
type pskTable map[string][]byte

func (t pskTable) PSK(local, remote identity.Identity) ([]byte, bool) {
	k, ok := t[local.String()+"|"+remote.String()]
	return k, ok
}

// memPool is a tiny allocator: sequential addresses from named prefixes,
// one lease per identity and family, kept across release.
type memPool struct {
	mu       sync.Mutex
	prefixes map[string]netip.Prefix
	next     map[string]netip.Addr
	leases   map[string]netip.Addr // identity|pool -> address
	online   map[netip.Addr]bool
	attrs    map[string][]CPAttr
	released []netip.Addr
}

func newMemPool(pools map[string]string) *memPool {
	m := &memPool{prefixes: map[string]netip.Prefix{}, next: map[string]netip.Addr{},
		leases: map[string]netip.Addr{}, online: map[netip.Addr]bool{},
		attrs: map[string][]CPAttr{}}
	for name, p := range pools {
		pfx := netip.MustParsePrefix(p)
		m.prefixes[name] = pfx
		m.next[name] = pfx.Addr().Next() // the network address is not handed out
	}
	return m
}

func (m *memPool) Acquire(pools []string, id identity.Identity, req netip.Addr,
	_ netip.AddrPort) (netip.Addr, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, name := range pools {
		pfx, ok := m.prefixes[name]
		if !ok || pfx.Addr().Is4() != req.Is4() {
			continue
		}
		key := id.String() + "|" + name
		if a, ok := m.leases[key]; ok {
			m.online[a] = true
			return a, true
		}
		a := m.next[name]
		if !pfx.Contains(a) {
			continue
		}
		m.next[name] = a.Next()
		m.leases[key], m.online[a] = a, true
		return a, true
	}
	return netip.Addr{}, false
}

func (m *memPool) Release(_ []string, _ identity.Identity, a netip.Addr) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.online, a)
	m.released = append(m.released, a)
}

func (m *memPool) Attributes(pools []string, vips []netip.Addr) []CPAttr {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []CPAttr
	for _, name := range pools {
		for _, v := range vips {
			if m.prefixes[name].Contains(v) {
				out = append(out, m.attrs[name]...)
				break
			}
		}
	}
	return out
}

// recordingDataplane remembers what was installed.
type recordingDataplane struct {
	mu        sync.Mutex
	installed []*ChildSA
	removed   []*ChildSA
}

func (r *recordingDataplane) Install(sa *ChildSA) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.installed = append(r.installed, sa)
	return nil
}

func (r *recordingDataplane) Remove(sa *ChildSA) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.removed = append(r.removed, sa)
	return nil
}

// gatewayPeer mirrors lab/gateway/swanctl.conf's rw connection.
func gatewayPeer(ikeProps ...string) *Peer {
	ps, err := ParseProposals(ProtoIKE, ikeProps)
	if err != nil {
		panic(err)
	}
	esp, _ := ParseProposals(ProtoESP, nil)
	lts := []conn.TS{mustTS("10.1.0.0/16"), mustTS("fec1::/64")}
	return &Peer{Name: "rw", Proposals: ps, LocalID: identity.Parse("moon.example.org"),
		Pools:    []string{"rw_pool_v4", "rw_pool_v6"},
		Children: []Child{{Name: "net", Proposals: esp, LocalTS: lts}}}
}

func mustTS(s string) conn.TS {
	ts, err := conn.ParseTS(s)
	if err != nil {
		panic(err)
	}
	return ts
}

type testEnv struct {
	srv   *Server
	pool  *memPool
	dp    *recordingDataplane
	local netip.AddrPort
}

func newTestEnv(opt Options, peers ...*Peer) *testEnv {
	e := &testEnv{pool: newMemPool(map[string]string{"rw_pool_v4": "10.3.0.0/28",
		"rw_pool_v6": "fec3::/120"}), dp: &recordingDataplane{},
		local: netip.MustParseAddrPort("192.0.2.1:500")}
	e.pool.attrs["rw_pool_v4"] = []CPAttr{{Type: 3, Value: []byte{10, 1, 0, 20}}}
	opt.Configs = staticConfigs(peers)
	opt.Secrets = pskTable{"moon.example.org|carol@example.org": []byte("secret-psk")}
	opt.Allocator, opt.Dataplane = e.pool, e.dp
	e.srv = NewServer(opt)
	return e
}

// sender returns a transport delivering requests from remote to the server.
func (e *testEnv) sender(remote netip.AddrPort) func([]byte) []byte {
	return func(b []byte) []byte { return e.srv.Handle(b, e.local, remote) }
}

func sprint(v any) string { return fmt.Sprint(v) }
