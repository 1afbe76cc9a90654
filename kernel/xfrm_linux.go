package kernel

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// ESP is one negotiated ESP SA pair with its traffic selectors, as XFRM
// installs it. In keys protect traffic from the peer, Out keys traffic to
// it.
type ESP struct {
	Local, Remote     netip.AddrPort
	Encap             bool // ESP in UDP between the IKE ports
	SPIIn, SPIOut     uint32
	Encr              string // XFRM name: "cbc(aes)" or "rfc4106(gcm(aes))" (AEAD)
	ICVBits           int    // AEAD only
	Integ             string // XFRM name, "hmac(sha256)"; empty for AEAD
	IntegBits         int    // truncated ICV length
	EncrIn, EncrOut   []byte
	IntegIn, IntegOut []byte
	ESN, Transport    bool
	Reqid             int
	LocalTS, RemoteTS []netip.Prefix
}

// XFRM installs ESP SAs and their policies through netlink.
//
// TODO: no SA lifetimes or traffic counters are read back, and policies
// carry no priority of their own (charon computes one from the selectors).
type XFRM struct{ h *netlink.Handle }

// NewXFRM opens an XFRM netlink socket in the current network namespace.
func NewXFRM() (*XFRM, error) {
	h, err := netlink.NewHandle(unix.NETLINK_XFRM)
	if err != nil {
		return nil, fmt.Errorf("kernel: xfrm: %w", err)
	}
	return &XFRM{h: h}, nil
}

// Close releases the socket.
func (x *XFRM) Close() { x.h.Close() }

func (e *ESP) mode() netlink.Mode {
	if e.Transport {
		return netlink.XFRM_MODE_TRANSPORT
	}
	return netlink.XFRM_MODE_TUNNEL
}

func (e *ESP) state(in bool) *netlink.XfrmState {
	src, dst, spi := e.Local, e.Remote, e.SPIOut
	ek, ik := e.EncrOut, e.IntegOut
	if in {
		src, dst, spi = e.Remote, e.Local, e.SPIIn
		ek, ik = e.EncrIn, e.IntegIn
	}
	s := &netlink.XfrmState{Src: net.IP(src.Addr().AsSlice()), Dst: net.IP(dst.Addr().AsSlice()),
		Proto: netlink.XFRM_PROTO_ESP, Mode: e.mode(), Spi: int(spi), Reqid: e.Reqid,
		ESN: e.ESN, ReplayWindow: 32}
	if e.ESN {
		s.ReplayWindow = 128
	}
	if e.Integ == "" {
		s.Aead = &netlink.XfrmStateAlgo{Name: e.Encr, Key: ek, ICVLen: e.ICVBits}
	} else {
		s.Crypt = &netlink.XfrmStateAlgo{Name: e.Encr, Key: ek}
		s.Auth = &netlink.XfrmStateAlgo{Name: e.Integ, Key: ik, TruncateLen: e.IntegBits}
	}
	if e.Encap {
		s.Encap = &netlink.XfrmStateEncap{Type: netlink.XFRM_ENCAP_ESPINUDP,
			SrcPort: int(src.Port()), DstPort: int(dst.Port()),
			OriginalAddress: net.IP(src.Addr().AsSlice())}
	}
	return s
}

func ipNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}

// policies are out, in and fwd for each pair of selectors of one family.
func (e *ESP) policies() []*netlink.XfrmPolicy {
	var out []*netlink.XfrmPolicy
	for _, l := range e.LocalTS {
		for _, r := range e.RemoteTS {
			if l.Addr().Is4() != r.Addr().Is4() {
				continue
			}
			for _, dir := range []netlink.Dir{netlink.XFRM_DIR_OUT, netlink.XFRM_DIR_IN,
				netlink.XFRM_DIR_FWD} {
				src, dst, tsrc, tdst := l, r, e.Local, e.Remote
				if dir != netlink.XFRM_DIR_OUT {
					src, dst, tsrc, tdst = r, l, e.Remote, e.Local
				}
				out = append(out, &netlink.XfrmPolicy{Src: ipNet(src), Dst: ipNet(dst),
					Dir: dir, Tmpls: []netlink.XfrmPolicyTmpl{{
						Src: tsrc.Addr().AsSlice(), Dst: tdst.Addr().AsSlice(),
						Proto: netlink.XFRM_PROTO_ESP, Mode: e.mode(), Reqid: e.Reqid}}})
			}
		}
	}
	return out
}

// Install adds both states and the policies; on failure it takes back
// what it added, so a refused SA leaves nothing behind.
func (x *XFRM) Install(e *ESP) error {
	var states []*netlink.XfrmState
	var pols []*netlink.XfrmPolicy
	undo := func(err error) error {
		for _, p := range pols {
			_ = x.h.XfrmPolicyDel(p)
		}
		for _, s := range states {
			_ = x.h.XfrmStateDel(s)
		}
		return err
	}
	for _, in := range []bool{true, false} {
		s := e.state(in)
		if err := x.h.XfrmStateAdd(s); err != nil {
			return undo(fmt.Errorf("kernel: adding SA %08x: %w", uint32(s.Spi), err))
		}
		states = append(states, s)
	}
	if e.Transport {
		return nil // TODO: transport mode policies are not installed.
	}
	for _, p := range e.policies() {
		if err := x.h.XfrmPolicyAdd(p); err != nil {
			return undo(fmt.Errorf("kernel: adding policy %s === %s: %w", p.Src, p.Dst, err))
		}
		pols = append(pols, p)
	}
	return nil
}

// Remove deletes the policies and states of e; it reports the first
// failure but tries them all.
func (x *XFRM) Remove(e *ESP) error {
	var errs []error
	if !e.Transport {
		for _, p := range e.policies() {
			if err := x.h.XfrmPolicyDel(p); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for _, in := range []bool{true, false} {
		if err := x.h.XfrmStateDel(e.state(in)); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("kernel: removing SAs: %w", err)
	}
	return nil
}
