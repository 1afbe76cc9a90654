package settings

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/charond/charond/config"
)

// Dataplanes charond can install CHILD_SAs with (charond.dataplane).
const (
	DataplaneNone = "none" // install nothing: traffic is not protected
	DataplaneXFRM = "xfrm" // the kernel's XFRM states and policies
)

// IKE are the settings of the IKE daemon. charon always runs IKE; charond
// runs it only when charond.ike is yes or charond.listen names addresses,
// so that a VICI-only charond needs neither root nor UDP port 500.
type IKE struct {
	Enabled bool
	// Listen are the addresses to serve IKE on (charond.listen); empty
	// means every address of the interfaces when IKE starts.
	Listen   []netip.Addr
	Port     uint16 // charon.port
	PortNATT uint16 // charon.port_nat_t
	// Dataplane is charond.dataplane: DataplaneNone or DataplaneXFRM.
	Dataplane string
	// InstallVIP is charon.install_virtual_ip; VIPInterface is
	// charon.install_virtual_ip_on ("" for the interface to the peer).
	InstallVIP   bool
	VIPInterface string
	Table, Prio  int // charon.routing_table, charon.routing_table_prio
	// DNSFile is charon.plugins.resolve.file, where received DNS servers
	// go; empty installs none (charond never rewrites /etc/resolv.conf
	// unless told to).
	DNSFile           string
	RetransmitTimeout time.Duration // charon.retransmit_timeout
	RetransmitTries   int           // charon.retransmit_tries
	// HalfOpenLimit is charon.init_limit_half_open: new IKE_SAs are
	// ignored while this many are half open. charon's default is no
	// limit; charond's is 1,000, so no peer makes it hold unbounded state.
	HalfOpenLimit int
	IKESALimit    int // charon.ikesa_limit; 0 is no limit
}

// DefaultIKE returns charon's defaults, with IKE off.
func DefaultIKE() IKE {
	return IKE{Port: 500, PortNATT: 4500, Dataplane: DataplaneXFRM, InstallVIP: true,
		Table: 220, Prio: 220, RetransmitTimeout: 4 * time.Second, RetransmitTries: 5,
		HalfOpenLimit: 1000}
}

func (s *Settings) applyIKE(root config.Section) error {
	k := &s.IKE
	if v, ok := root.Get("charond.ike"); ok {
		b, err := config.ParseBool(v)
		if err != nil {
			return fmt.Errorf("charond.ike: invalid value %q", v)
		}
		k.Enabled = b
	}
	if v, ok := root.Get("charond.listen"); ok && strings.TrimSpace(v) != "" {
		for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return fmt.Errorf("charond.listen: invalid address %q", f)
			}
			k.Listen = append(k.Listen, a.Unmap())
		}
		k.Enabled = true
	}
	if v, ok := root.Get("charond.dataplane"); ok {
		if v != DataplaneNone && v != DataplaneXFRM {
			return fmt.Errorf("charond.dataplane: %q is neither none nor xfrm", v)
		}
		k.Dataplane = v
	}
	ports := []struct {
		key string
		dst *uint16
	}{{"charon.port", &k.Port}, {"charon.port_nat_t", &k.PortNATT}}
	for _, p := range ports {
		if v, ok := root.Get(p.key); ok {
			n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 16)
			if err != nil {
				return fmt.Errorf("%s: invalid port %q", p.key, v)
			}
			*p.dst = uint16(n)
		}
	}
	ints := []struct {
		key string
		dst *int
	}{{"charon.routing_table", &k.Table}, {"charon.routing_table_prio", &k.Prio},
		{"charon.retransmit_tries", &k.RetransmitTries},
		{"charon.init_limit_half_open", &k.HalfOpenLimit}, {"charon.ikesa_limit", &k.IKESALimit}}
	for _, i := range ints {
		if v, ok := root.Get(i.key); ok {
			n, err := config.ParseInt(v)
			if err != nil || n < 0 || n > 1<<31-1 {
				return fmt.Errorf("%s: invalid value %q", i.key, v)
			}
			*i.dst = int(n)
		}
	}
	if v, ok := root.Get("charon.retransmit_timeout"); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f <= 0 {
			return fmt.Errorf("charon.retransmit_timeout: invalid value %q", v)
		}
		k.RetransmitTimeout = time.Duration(f * float64(time.Second))
	}
	if v, ok := root.Get("charon.install_virtual_ip"); ok {
		b, err := config.ParseBool(v)
		if err != nil {
			return fmt.Errorf("charon.install_virtual_ip: invalid value %q", v)
		}
		k.InstallVIP = b
	}
	k.VIPInterface, _ = root.Get("charon.install_virtual_ip_on")
	k.DNSFile, _ = root.Get("charon.plugins.resolve.file")
	return nil
}
