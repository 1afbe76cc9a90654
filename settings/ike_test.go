package settings

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestIKEOffByDefault(t *testing.T) {
	s, err := Load(write(t, "charon {\n}\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	if s.IKE.Enabled || s.IKE.Port != 500 || s.IKE.PortNATT != 4500 ||
		s.IKE.Dataplane != DataplaneXFRM || s.IKE.Table != 220 || s.IKE.Prio != 220 ||
		!s.IKE.InstallVIP || s.IKE.DNSFile != "" || s.IKE.HalfOpenLimit != 1000 ||
		s.IKE.IKESALimit != 0 {
		t.Errorf("defaults: %+v", s.IKE)
	}
}

func TestIKESettings(t *testing.T) {
	s, err := Load(write(t, `
charon {
	port = 1500
	port_nat_t = 14500
	install_virtual_ip = no
	install_virtual_ip_on = dummy0
	routing_table = 0
	routing_table_prio = 300
	retransmit_timeout = 1.5
	retransmit_tries = 2
	init_limit_half_open = 50
	ikesa_limit = 0x100
	plugins {
		resolve {
			file = /tmp/x/resolv.conf
		}
	}
}
charond {
	listen = 192.0.2.1, 2001:db8::1
	dataplane = xfrm
}
`), false)
	if err != nil {
		t.Fatal(err)
	}
	k := s.IKE
	want := []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")}
	if !k.Enabled || !slices.Equal(k.Listen, want) || k.Port != 1500 || k.PortNATT != 14500 ||
		k.InstallVIP || k.VIPInterface != "dummy0" || k.Table != 0 || k.Prio != 300 ||
		k.RetransmitTimeout != 1500*time.Millisecond || k.RetransmitTries != 2 ||
		k.Dataplane != DataplaneXFRM || k.DNSFile != "/tmp/x/resolv.conf" ||
		k.HalfOpenLimit != 50 || k.IKESALimit != 256 {
		t.Errorf("got %+v", k)
	}
}

func TestIKESettingsInvalid(t *testing.T) {
	for _, c := range []string{
		"charond {\n ike = maybe\n}\n",
		"charond {\n listen = 192.0.2.300\n}\n",
		"charond {\n dataplane = dpdk\n}\n",
		"charon {\n port = 70000\n}\n",
		"charon {\n routing_table = -1\n}\n",
		"charon {\n retransmit_timeout = soon\n}\n",
	} {
		if _, err := Load(write(t, c), false); err == nil {
			t.Errorf("%q loaded without error", strings.TrimSpace(c))
		}
	}
}
