package daemon

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/charond/charond/identity"
	"github.com/charond/charond/pool"
	"github.com/charond/charond/vici"
)

// section builds a pool section from alternating key/value pairs; a value
// starting with "[" is a list of the space-separated items after it, one
// equal to "{}" an empty sub-section. Keys may repeat.
func section(kvs ...string) *vici.Message {
	m := vici.NewMessage()
	for i := 0; i+1 < len(kvs); i += 2 {
		k, v := kvs[i], kvs[i+1]
		switch {
		case v == "{}":
			m.Append(vici.Entry{Kind: vici.KindSection, Name: k, Section: vici.NewMessage()})
		case strings.HasPrefix(v, "["):
			m.Append(vici.Entry{Kind: vici.KindList, Name: k,
				Items: strings.Fields(v[1:])})
		default:
			m.Append(vici.Entry{Kind: vici.KindValue, Name: k, Value: v})
		}
	}
	return m
}

func pools(secs ...any) *vici.Message {
	m := vici.NewMessage()
	for i := 0; i+1 < len(secs); i += 2 {
		m.Append(vici.Entry{Kind: vici.KindSection, Name: secs[i].(string),
			Section: secs[i+1].(*vici.Message)})
	}
	return m
}

func newPoolDaemon(t *testing.T) (*Daemon, handlers, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	d, h := newTestDaemon(t, Options{Logger: log})
	return d, h, &buf
}

// result renders a success/failure reply as "yes" or "no: errmsg".
func result(m *vici.Message) string {
	s, _ := m.Get("success")
	if s != "yes" {
		e, _ := m.Get("errmsg")
		s += ": " + e
	}
	return s
}

func TestLoadPoolErrors(t *testing.T) {
	tests := []struct {
		name string
		req  *vici.Message
		want string
	}{
		{"empty message", vici.NewMessage(), "yes"},
		{"root key/value ignored", vici.NewMessage().Set("addrs", "garbage"), "yes"},
		{"ok", pools("p", section("addrs", "10.3.0.0/28", "dns", "[8.8.8.8 fec1::53")), "yes"},
		{"nested section ignored", pools("p", section("addrs", "10.3.0.0/28", "x", "{}")),
			"yes"},
		{"empty list of unknown key", pools("p", section("addrs", "10.3.0.0/28", "foo", "[")),
			"yes"},
		{"numeric attributes", pools("p", section("addrs", "10.3.0.0/28",
			"25", "[hello", "7001", "[0x0a0b", "65535", "[x")), "yes"},
		{"p_cscf", pools("p", section("addrs", "10.3.0.0/28", "p_cscf", "[10.0.0.1")), "yes"},
		{"missing addrs", pools("p", section("dns", "[8.8.8.8")),
			"no: missing addrs for pool 'p'"},
		{"multiple addrs", pools("p", section("addrs", "10.3.0.0/28", "addrs", "10.4.0.0/28")),
			"no: multiple addrs defined"},
		{"addrs as list", pools("p", section("addrs", "[10.3.0.0/28")),
			"no: invalid attribute: addrs"},
		{"unprintable addrs", pools("p", section("addrs", "10.3.0.0/28\x00")),
			"no: invalid addrs value"},
		{"addrs too long", pools("p", section("addrs", strings.Repeat("1", 128))),
			"no: invalid addrs value"},
		{"garbage", pools("p", section("addrs", "garbage")),
			"no: invalid addrs value: garbage"},
		{"empty addrs", pools("p", section("addrs", "")), "no: invalid addrs value: "},
		{"spaces", pools("p", section("addrs", " 10.10.8.0/24 ")),
			"no: invalid addrs value:  10.10.8.0/24 "},
		{"reversed range", pools("p", section("addrs", "10.10.5.20-10.10.5.1")),
			"no: invalid addrs value: 10.10.5.20-10.10.5.1"},
		{"mixed range", pools("p", section("addrs", "10.10.6.1-fec5::1")),
			"no: invalid addrs value: 10.10.6.1-fec5::1"},
		{"huge v6 range", pools("p", section("addrs", "fecb::1-fecb::1:0:0:0")),
			"no: invalid addrs value: fecb::1-fecb::1:0:0:0"},
		{"empty cidr", pools("p", section("addrs", "192.0.2.255/24")),
			"no: invalid addrs value: 192.0.2.255/24"},
		{"unknown key", pools("p", section("addrs", "10.3.0.0/28", "foo", "[1.2.3.4")),
			"no: invalid attribute: foo"},
		{"wrong case", pools("p", section("addrs", "10.3.0.0/28", "DNS", "[1.2.3.4")),
			"no: invalid attribute: DNS"},
		{"zero", pools("p", section("addrs", "10.3.0.0/28", "0", "[1")),
			"no: invalid attribute: 0"},
		{"hex", pools("p", section("addrs", "10.3.0.0/28", "0x19", "[1")),
			"no: invalid attribute: 0x19"},
		{"attribute as key/value", pools("p", section("addrs", "10.3.0.0/28", "dns", "8.8.8.8")),
			"no: invalid attribute: dns"},
		{"numeric as key/value", pools("p", section("addrs", "10.3.0.0/28", "25", "x")),
			"no: invalid attribute: 25"},
		{"key/value before addrs", pools("p", section("dns", "8.8.8.8", "addrs", "x")),
			"no: invalid attribute: dns"},
		{"bad dns", pools("p", section("addrs", "10.3.0.0/28", "dns", "[8.8.8.8 nope")),
			"no: invalid attribute value for dns"},
		{"bad subnet", pools("p", section("addrs", "10.3.0.0/28", "subnet", "[x/24")),
			"no: invalid attribute value for subnet"},
		{"bad netmask", pools("p", section("addrs", "10.3.0.0/28", "netmask", "[255")),
			"no: invalid attribute value for netmask"},
		{"bad split_include", pools("p", section("addrs", "10.3.0.0/28",
			"split_include", "[a.b")), "no: invalid attribute value for split_include"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, h, _ := newPoolDaemon(t)
			reply, _ := h.call(t, "load-pool", tt.req)
			if got := result(reply); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if got := reply.Keys(); tt.want != "yes" && !slices.Equal(got,
				[]string{"success", "errmsg"}) {
				t.Errorf("reply keys %q", got)
			}
		})
	}
}

func TestLoadPoolStopsAtFirstError(t *testing.T) {
	d, h, _ := newPoolDaemon(t)
	reply, _ := h.call(t, "load-pool", pools(
		"a", section("addrs", "10.1.0.0/24"),
		"b", section("addrs", "bad"),
		"c", section("addrs", "10.3.0.0/24")))
	if got := result(reply); got != "no: invalid addrs value: bad" {
		t.Errorf("reply %q", got)
	}
	var got []string
	for _, in := range d.Pools().Snapshot(pool.Query{}) {
		got = append(got, in.Name)
	}
	if !slices.Equal(got, []string{"a"}) {
		t.Errorf("pools %q, want [a]", got)
	}
}

// acquire takes a lease for id from pool p of d.
func acquire(t *testing.T, d *Daemon, p, id string) netip.Addr {
	t.Helper()
	g := d.Pools().Acquire([]string{p}, identity.Parse(id), netip.IPv4Unspecified(),
		netip.MustParseAddrPort("192.0.2.9:4500"))
	if !g.Addr.IsValid() {
		t.Fatalf("no lease for %s from %s", id, p)
	}
	return g.Addr
}

func TestLoadPoolReload(t *testing.T) {
	tests := []struct {
		name    string
		online  bool
		offline bool
		addrs   string
		want    string
		log     string
	}{
		{"new", false, false, "", "yes", "added vici pool p: 10.3.0.1, 14 entries"},
		{"same", true, false, "10.3.0.0/28", "yes", "updated vici pool p: 10.3.0.1, 14 entries"},
		{"same as range", true, false, "10.3.0.1-10.3.0.14", "yes",
			"updated vici pool p: 10.3.0.1, 14 entries"},
		{"replace", false, true, "10.4.0.0/24", "yes",
			"replaced vici pool p: 10.4.0.1, 254 entries"},
		{"refuse", true, false, "10.4.0.0/24",
			"no: vici pool p has online leases, unable to replace",
			"vici pool p has 1 online leases, unable to replace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, h, buf := newPoolDaemon(t)
			first, _ := h.call(t, "load-pool", pools("p", section("addrs", "10.3.0.0/28")))
			if result(first) != "yes" {
				t.Fatal(result(first))
			}
			if tt.addrs != "" {
				if tt.online || tt.offline {
					a := acquire(t, d, "p", "carol")
					if tt.offline {
						d.Pools().Release([]string{"p"}, identity.Parse("carol"), a)
					}
				}
				reply, _ := h.call(t, "load-pool", pools("p", section("addrs", tt.addrs)))
				if got := result(reply); got != tt.want {
					t.Errorf("reply %q, want %q", got, tt.want)
				}
			}
			if !strings.Contains(buf.String(), fmt.Sprintf("msg=%q subsys=cfg", tt.log)) {
				t.Errorf("log lacks %q:\n%s", tt.log, buf)
			}
		})
	}
}

func TestUnloadPool(t *testing.T) {
	tests := []struct {
		name string
		req  *vici.Message
		want string
		log  string
	}{
		{"ok", vici.NewMessage().Set("name", "free"), "yes", "unloaded vici pool free"},
		{"offline only", vici.NewMessage().Set("name", "off"), "yes", "unloaded vici pool off"},
		{"missing name", vici.NewMessage(), "no: missing pool name to unload", ""},
		{"unprintable name", vici.NewMessage().Set("name", "free\x01"),
			"no: missing pool name to unload", ""},
		{"unknown", vici.NewMessage().Set("name", "p6"), "no: p6 not found", ""},
		{"empty", vici.NewMessage().Set("name", ""), "no:  not found", ""},
		{"online", vici.NewMessage().Set("name", "busy"),
			"no: busy has online leases, unable to unload",
			"vici pool busy has 1 online leases, unable to unload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, h, buf := newPoolDaemon(t)
			h.call(t, "load-pool", pools("busy", section("addrs", "10.1.0.0/24"),
				"off", section("addrs", "10.2.0.0/24"), "free", section("addrs", "10.3.0.0/24")))
			acquire(t, d, "busy", "carol")
			a := acquire(t, d, "off", "dave")
			d.Pools().Release([]string{"off"}, identity.Parse("dave"), a)
			reply, _ := h.call(t, "unload-pool", tt.req)
			if got := result(reply); got != tt.want {
				t.Errorf("reply %q, want %q", got, tt.want)
			}
			if tt.log != "" && !strings.Contains(buf.String(), fmt.Sprintf("msg=%q", tt.log)) {
				t.Errorf("log lacks %q:\n%s", tt.log, buf)
			}
		})
	}
}

// dump renders a message as swanctl --raw prints it, for compact checks.
func dump(m *vici.Message) string {
	var parts []string
	for _, e := range m.Entries() {
		switch e.Kind {
		case vici.KindValue:
			parts = append(parts, e.Name+"="+e.Value)
		case vici.KindList:
			parts = append(parts, e.Name+"=["+strings.Join(e.Items, " ")+"]")
		case vici.KindSection:
			parts = append(parts, e.Name+" {"+dump(e.Section)+"}")
		}
	}
	return strings.Join(parts, " ")
}

func TestGetPools(t *testing.T) {
	d, h, _ := newPoolDaemon(t)
	h.call(t, "load-pool", pools("v4", section("addrs", "10.3.0.0/28"),
		"v6", section("addrs", "fec3::/120"), "tiny", section("addrs", "10.50.0.1-10.50.0.2")))
	acquire(t, d, "v4", "carol@strongswan.org")
	dave := acquire(t, d, "v4", "C=CH, O=strongSwan Project, CN=dave")
	d.Pools().Release([]string{"v4"}, identity.Parse("C=CH, O=strongSwan Project, CN=dave"),
		dave)
	h.call(t, "load-pool", pools("v4", section("addrs", "10.3.0.0/28"))) // moves last
	const (
		v6   = "v6 {base=fec3::1 size=254 online=0 offline=0"
		tiny = "tiny {base=10.50.0.1 size=2 online=0 offline=0"
		v4   = "v4 {base=10.3.0.1 size=14 online=1 offline=1"
	)
	tests := []struct {
		name string
		req  *vici.Message
		want string
	}{
		{"all", vici.NewMessage(), v6 + "} " + tiny + "} " + v4 + "}"},
		{"leases", vici.NewMessage().Set("leases", "yes"), v6 + " leases {}} " + tiny +
			" leases {}} " + v4 + " leases {" +
			"0 {address=10.3.0.1 identity=carol@strongswan.org status=online} " +
			"1 {address=10.3.0.2 identity=C=CH, O=strongSwan Project, CN=dave " +
			"status=offline}}}"},
		{"leases=no", vici.NewMessage().Set("leases", "no"), v6 + "} " + tiny + "} " + v4 + "}"},
		{"leases=bogus", vici.NewMessage().Set("leases", "bogus"),
			v6 + "} " + tiny + "} " + v4 + "}"},
		{"name", vici.NewMessage().Set("name", "tiny").Set("leases", "TRUE"),
			tiny + " leases {}}"},
		{"unknown name", vici.NewMessage().Set("name", "nope"), ""},
		{"empty name", vici.NewMessage().Set("name", ""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply, _ := h.call(t, "get-pools", tt.req)
			if got := dump(reply); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// BenchmarkGetPools100k measures a get-pools reply with leases for one
// pool of 100,000 leases, from snapshot to finished message.
func BenchmarkGetPools100k(b *testing.B) {
	d := New(Options{})
	h := handlers{}
	d.Register(h)
	r, _, err := pool.ParseAddrs("10.0.0.0/8")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := d.Pools().Load("big", r, nil); err != nil {
		b.Fatal(err)
	}
	peer := netip.MustParseAddrPort("192.0.2.1:4500")
	for i := 0; i < 100_000; i++ {
		d.Pools().Acquire([]string{"big"}, identity.Parse(fmt.Sprintf("user%06d@strongswan.org",
			i)), netip.IPv4Unspecified(), peer)
	}
	req := vici.NewRequest("get-pools", vici.NewMessage().Set("leases", "yes"), nil)
	f := h["get-pools"]
	b.ReportAllocs()
	for b.Loop() {
		reply := f(context.Background(), req)
		if n := reply.Section("big").Section("leases").Len(); n != 100_000 {
			b.Fatalf("%d leases", n)
		}
	}
}

// BenchmarkGetPools100Pools is the monitoring poll of the side-by-side
// benchmark (bench/): 100 pools, encoded as the server sends it.
func BenchmarkGetPools100Pools(b *testing.B) {
	d := New(Options{})
	h := handlers{}
	d.Register(h)
	for i := range 100 {
		r, _, err := pool.ParseAddrs(fmt.Sprintf("10.%d.%d.0/24", 3+i/250, i%250))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := d.Pools().Load(fmt.Sprintf("pool%03d", i), r, nil); err != nil {
			b.Fatal(err)
		}
	}
	for _, leases := range []string{"no", "yes"} {
		b.Run("leases="+leases, func(b *testing.B) {
			req := vici.NewRequest("get-pools", vici.NewMessage().Set("leases", leases), nil)
			f := h["get-pools"]
			var buf []byte
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if buf, err = f(context.Background(), req).AppendEncoded(buf[:0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
