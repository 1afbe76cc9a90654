package ike

import (
	"net/netip"
	"testing"

	"github.com/charond/charond/conn"
	"github.com/charond/charond/creds"
	"github.com/charond/charond/pool"
)

// TestAdapters runs the handshake against the daemon's own stores: the
// gateway of lab/gateway/swanctl.conf in a conn.Store, its PSK in a
// creds.Store and its pools in a pool.Manager.
func TestAdapters(t *testing.T) {
	cs := conn.NewStore()
	lts := []conn.TS{mustTS("10.1.0.0/16"), mustTS("fec1::/64")}
	cs.Load(&conn.Config{Name: "rw-extra", Version: 2, LocalAddrs: []string{"192.0.2.1"},
		Pools:    []string{"rw_pool_v4"},
		Local:    []conn.Auth{{Class: conn.AuthPSK, ID: "moon-extra.example.org"}},
		Remote:   []conn.Auth{{Class: conn.AuthPSK, ID: "nobody@example.org"}},
		Children: []conn.Child{{Name: "extra", LocalTS: []conn.TS{mustTS("10.2.0.0/16")}}}})
	cs.Load(&conn.Config{Name: "rw", Version: 2, LocalAddrs: []string{"192.0.2.1"},
		Pools:    []string{"rw_pool_v4", "rw_pool_v6"},
		Local:    []conn.Auth{{Class: conn.AuthPSK, ID: "moon.example.org"}},
		Remote:   []conn.Auth{{Class: conn.AuthPSK}},
		Children: []conn.Child{{Name: "net", LocalTS: lts}}})
	cs.Load(&conn.Config{Name: "elsewhere", LocalAddrs: []string{"198.51.100.1"},
		Local: []conn.Auth{{Class: conn.AuthPSK}}, Remote: []conn.Auth{{Class: conn.AuthPSK}}})
	st := creds.NewStore()
	st.Add(creds.Shared{Type: creds.IKE, Data: []byte("secret-psk"),
		Owners: []string{"moon.example.org", "carol@example.org"}})
	pm := pool.NewManager()
	for name, addrs := range map[string]string{"rw_pool_v4": "10.3.0.0/28",
		"rw_pool_v6": "fec3::/120"} {
		r, _, err := pool.ParseAddrs(addrs)
		if err != nil {
			t.Fatal(err)
		}
		dns, _ := pool.ParseAttribute("dns", map[string]string{"rw_pool_v4": "10.1.0.20",
			"rw_pool_v6": "fec1::20"}[name])
		if _, err := pm.Load(name, r, []pool.Attribute{dns}); err != nil {
			t.Fatal(err)
		}
	}
	cfgs := ConnConfigs{Store: cs}
	local := netip.MustParseAddr("192.0.2.1")
	if n := len(cfgs.Peers(local, clientAddr.Addr())); n != 2 {
		t.Fatalf("%d peers for 192.0.2.1, want rw-extra and rw", n)
	}
	dp := &recordingDataplane{}
	srv := NewServer(Options{Configs: cfgs, Secrets: CredsSecrets{st},
		Allocator: PoolAllocator{Pools: pm}, Dataplane: dp})
	send := func(b []byte) []byte {
		return srv.Handle(b, netip.AddrPortFrom(local, 500), clientAddr)
	}
	i := newInitiator(t, send, "aes128-sha256-x25519", GroupCurve25519)
	if n := i.doInit(); n != 0 {
		t.Fatal(n)
	}
	resp := i.exchange(IKEAuth, i.authPayloads(true))
	if err := i.verifyAuth(resp); err != nil {
		t.Fatal(err)
	}
	infos := srv.SAs()
	if len(infos) != 1 || infos[0].Name != "rw" ||
		sprint(infos[0].RemoteVIPs) != "[10.3.0.1 fec3::1]" {
		t.Fatalf("SAs() = %+v", infos)
	}
	cp, _ := find[*CP](resp)
	if cp == nil || len(cp.Attrs) != 4 {
		t.Fatalf("CFG_REPLY %+v, want two addresses and two DNS servers", cp)
	}
	i.exchange(Informational, []Payload{&Delete{Protocol: ProtoIKE}})
	info := pm.Snapshot(pool.Query{})
	for _, p := range info {
		if p.Online != 0 || p.Offline != 1 {
			t.Errorf("pool %+v after delete, want its lease offline", p)
		}
	}
}
