package daemon

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/charond/charond/conn"
	"github.com/charond/charond/ike"
	"github.com/charond/charond/vici"
)

// Initiate establishes the IKE_SA of cfg with its child (the first one
// when child is empty).
//
// TODO: initiating an IKE_SA without a CHILD_SA is not implemented; an
// IKE-only initiate brings up the connection's first child as well.
func (s *ikeSAs) Initiate(ctx context.Context, cfg *conn.Config, child string,
	log func(ike.ControlLog)) error {
	var f ike.LogFunc
	if log != nil {
		f = ike.LogFunc(log)
	}
	return s.srv.Initiate(ctx, cfg.Name, child, f)
}

// Terminate deletes the selected CHILD_SAs, or IKE_SAs when no child is
// selected.
//
// TODO: force (deleting without waiting for the peer) waits all the same;
// the retransmission limits bound the wait.
func (s *ikeSAs) Terminate(ctx context.Context, sel Selector, _ bool,
	log func(ike.ControlLog)) (int, int) {
	var f ike.LogFunc
	if log != nil {
		f = ike.LogFunc(log)
	}
	var m, t int
	var err error
	if sel.Child != "" || sel.ChildID != 0 {
		m, t, err = s.srv.TerminateChild(ctx, sel.IKE, sel.IKEID, sel.Child, sel.ChildID, f)
	} else {
		m, t, err = s.srv.Terminate(ctx, sel.IKE, sel.IKEID, f)
	}
	if err != nil {
		s.log.Info("terminate incomplete", "subsys", "cfg", "err", err)
	}
	return m, t
}

// Rekey queues the rekeying of the selected CHILD_SAs and returns at once.
//
// TODO: charond does not start IKE_SA rekeys or reauthentication (it
// answers a peer's IKE_SA rekey); a selector naming only IKE_SAs rekeys
// their CHILD_SAs.
func (s *ikeSAs) Rekey(sel Selector, _ bool) int {
	var ids []uint32
	for _, sa := range s.srv.SAs() {
		if !matchIKE(sa, sel) {
			continue
		}
		for _, c := range sa.Children {
			if matchChild(c, sel) {
				ids = append(ids, c.Unique)
			}
		}
	}
	for _, id := range ids {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			if err := s.srv.RekeyChild(ctx, id, nil); err != nil {
				s.log.Info("rekeying CHILD_SA failed", "subsys", "ike", "child_id", id,
					"err", err)
			}
		}()
	}
	return len(ids)
}

// Redirect is not implemented.
//
// TODO: IKEv2 redirection (RFC 5685) is not implemented.
func (s *ikeSAs) Redirect(Selector, string, string, string) int { return 0 }

// ListPolicies lists nothing: charond installs no trap or shunt policies.
func (s *ikeSAs) ListPolicies(string, map[string]bool, func(*vici.Message) bool) {}

// Install refuses: trap and shunt policies are not implemented.
func (s *ikeSAs) Install(*conn.Config, string) error { return errNotEstablished }

// Uninstall finds nothing to remove.
func (s *ikeSAs) Uninstall(string, string) bool { return false }

func matchIKE(sa ike.SAInfo, sel Selector) bool {
	return (sel.IKE == "" || sa.Name == sel.IKE) && (sel.IKEID == 0 || sa.Unique == sel.IKEID)
}

func matchChild(c ike.ChildSA, sel Selector) bool {
	return (sel.Child == "" || c.Name == sel.Child) &&
		(sel.ChildID == 0 || c.Unique == sel.ChildID)
}

// ListSAs emits the established IKE_SAs in order of their unique IDs. With
// a child selector only IKE_SAs holding a matching child are listed, with
// just those children.
func (s *ikeSAs) ListSAs(sel Selector, emit func(*vici.Message) bool) {
	list := s.srv.SAs()
	slices.SortFunc(list, func(a, b ike.SAInfo) int { return cmp.Compare(a.Unique, b.Unique) })
	childSel := sel.Child != "" || sel.ChildID != 0
	for _, sa := range list {
		if !matchIKE(sa, sel) {
			continue
		}
		kids := sa.Children[:0:0]
		for _, c := range sa.Children {
			if matchChild(c, sel) {
				kids = append(kids, c)
			}
		}
		if childSel && len(kids) == 0 {
			continue
		}
		sa.Children = kids
		m := vici.NewMessage().SetSection(sa.Name, ikeSectionChild(sa, "ESTABLISHED",
			"INSTALLED"))
		if !emit(m) {
			return
		}
	}
}

// ikeSectionChild is list-sa's IKE_SA section with its child-sas, each in
// childState.
func ikeSectionChild(sa ike.SAInfo, state, childState string) *vici.Message {
	m := ikeBody(sa, state)
	cs := m.AddSection("child-sas")
	for _, c := range sa.Children {
		cs.SetSection(c.Name+"-"+u32(c.Unique), childSection(c, childState))
	}
	return m
}

// ikeBody holds the keys of vici-protocol.md §6 in charon's order.
func ikeBody(sa ike.SAInfo, state string) *vici.Message {
	now := time.Now()
	m := vici.NewMessage().Set("uniqueid", u32(sa.Unique)).Set("version", "2").
		Set("state", state).
		Set("local-host", sa.Local.Addr().Unmap().String()).
		Set("local-port", strconv.Itoa(int(sa.Local.Port()))).
		Set("local-id", sa.LocalID.String()).
		Set("remote-host", sa.Remote.Addr().Unmap().String()).
		Set("remote-port", strconv.Itoa(int(sa.Remote.Port()))).
		Set("remote-id", sa.RemoteID.String())
	if sa.Initiator {
		m.Set("initiator", "yes")
	}
	m.Set("initiator-spi", fmt.Sprintf("%016x", sa.SPIi)).
		Set("responder-spi", fmt.Sprintf("%016x", sa.SPIr))
	if sa.NATLocal {
		m.Set("nat-local", "yes")
	}
	if sa.NATRemote {
		m.Set("nat-remote", "yes")
	}
	if sa.NATLocal || sa.NATRemote {
		m.Set("nat-any", "yes")
	}
	a := sa.Algs
	if a.Encr != 0 {
		m.Set("encr-alg", ike.TransformName(ike.TransEncr, a.Encr))
		if a.EncrBits != 0 {
			m.Set("encr-keysize", u32(uint32(a.EncrBits)))
		}
	}
	if a.Integ != 0 {
		m.Set("integ-alg", ike.TransformName(ike.TransInteg, a.Integ))
	}
	if a.PRF != 0 {
		m.Set("prf-alg", ike.TransformName(ike.TransPRF, a.PRF))
	}
	if a.DH != 0 {
		m.Set("dh-group", ike.TransformName(ike.TransDH, a.DH))
	}
	if state == "ESTABLISHED" && !sa.Established.IsZero() {
		m.Set("established", secondsSince(now, sa.Established))
	}
	if len(sa.LocalVIPs) > 0 {
		m.SetList("local-vips", addrTexts(sa.LocalVIPs))
	}
	if len(sa.RemoteVIPs) > 0 {
		m.SetList("remote-vips", addrTexts(sa.RemoteVIPs))
	}
	return m
}

// childSection is one entry of child-sas.
//
// TODO: bytes and packets stay 0 (no counters are read from the
// dataplane), reqid is the CHILD_SA's unique ID, and rekey-time and
// life-time are absent: CHILD_SAs have no lifetimes yet.
func childSection(c ike.ChildSA, state string) *vici.Message {
	mode := "TUNNEL"
	if c.Transport {
		mode = "TRANSPORT"
	}
	m := vici.NewMessage().Set("name", c.Name).Set("uniqueid", u32(c.Unique)).
		Set("reqid", u32(c.Unique)).Set("state", state).Set("mode", mode).
		Set("protocol", "ESP")
	if c.Encap {
		m.Set("encap", "yes")
	}
	m.Set("spi-in", fmt.Sprintf("%08x", c.SPIIn)).Set("spi-out", fmt.Sprintf("%08x", c.SPIOut))
	if c.Encr != 0 {
		m.Set("encr-alg", ike.TransformName(ike.TransEncr, c.Encr))
		if c.EncrBits != 0 {
			m.Set("encr-keysize", u32(uint32(c.EncrBits)))
		}
	}
	if c.Integ != 0 {
		m.Set("integ-alg", ike.TransformName(ike.TransInteg, c.Integ))
	}
	if c.ESN {
		m.Set("esn", "1")
	}
	m.Set("bytes-in", "0").Set("packets-in", "0").Set("bytes-out", "0").Set("packets-out", "0")
	if !c.Installed.IsZero() {
		m.Set("install-time", secondsSince(time.Now(), c.Installed))
	}
	m.SetList("local-ts", selectorTexts(c.LocalTS))
	m.SetList("remote-ts", selectorTexts(c.RemoteTS))
	return m
}

func u32(v uint32) string { return strconv.FormatUint(uint64(v), 10) }

func secondsSince(now, t time.Time) string {
	return strconv.FormatInt(int64(now.Sub(t)/time.Second), 10)
}

func addrTexts(list []netip.Addr) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.String()
	}
	return out
}

func selectorTexts(list []ike.Selector) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.String()
	}
	return out
}
