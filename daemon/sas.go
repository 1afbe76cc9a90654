package daemon

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/charond/charond/conn"
	"github.com/charond/charond/identity"
	"github.com/charond/charond/ike"
	"github.com/charond/charond/vici"
)

// Selector names the SAs a terminate, rekey or redirect acts on; empty
// names and zero ids select nothing by themselves.
type Selector struct {
	IKE, Child     string
	IKEID, ChildID uint32
}

func (s Selector) empty() bool {
	return s.IKE == "" && s.Child == "" && s.IKEID == 0 && s.ChildID == 0
}

// SAManager is what the SA and policy commands need from the IKE layer.
// Every method reports through its results only; the commands turn them
// into strongSwan's replies.
type SAManager interface {
	// Initiate establishes the child (or, without one, the IKE_SA) of
	// cfg. log receives control-log records for the requester.
	Initiate(ctx context.Context, cfg *conn.Config, child string, log func(ike.ControlLog)) error
	// Terminate closes the selected SAs and counts matches and successes;
	// log receives control-log records for the requester.
	Terminate(ctx context.Context, sel Selector, force bool,
		log func(ike.ControlLog)) (matches, done int)
	// Rekey queues rekeying of the selected SAs and counts them.
	Rekey(sel Selector, reauth bool) (matches int)
	// Redirect asks the selected peers to move to gateway.
	Redirect(sel Selector, peerIP, peerID, gateway string) (matches int)
	// ListSAs emits one list-sa section per matching IKE_SA.
	ListSAs(sel Selector, emit func(*vici.Message) bool)
	// ListPolicies emits one list-policy section per matching policy.
	ListPolicies(child string, modes map[string]bool, emit func(*vici.Message) bool)
	// Install installs the trap or shunt policies of a child config;
	// Uninstall removes them and reports whether any were installed.
	Install(cfg *conn.Config, child string) error
	Uninstall(child, ike string) bool
}

// noSAs is the SAManager while IKE is off (the default, see settings.IKE):
// no SA exists, no policy is installed and nothing can be established.
type noSAs struct{}

func (noSAs) Initiate(context.Context, *conn.Config, string, func(ike.ControlLog)) error {
	return errNotEstablished
}
func (noSAs) Terminate(context.Context, Selector, bool, func(ike.ControlLog)) (int, int) {
	return 0, 0
}
func (noSAs) Rekey(Selector, bool) int                                       { return 0 }
func (noSAs) Redirect(Selector, string, string, string) int                  { return 0 }
func (noSAs) ListSAs(Selector, func(*vici.Message) bool)                     {}
func (noSAs) ListPolicies(string, map[string]bool, func(*vici.Message) bool) {}
func (noSAs) Install(*conn.Config, string) error {
	// TODO: trap and shunt policies need the kernel layer (kernel/).
	return errNotEstablished
}
func (noSAs) Uninstall(string, string) bool { return false }

var errNotEstablished = errors.New("daemon: no IKE layer")

func (d *Daemon) registerSAs(r vici.Registrar) {
	r.Handle("initiate", d.initiate)
	r.Handle("terminate", d.terminate)
	r.Handle("rekey", d.rekey)
	r.Handle("redirect", d.redirect)
	r.Handle("install", d.install)
	r.Handle("uninstall", d.uninstall)
	r.Handle("list-sas", d.listSAs)
	r.Handle("list-policies", d.listPolicies)
}

func selector(m *vici.Message) Selector {
	var s Selector
	s.IKE, _ = argString(m, "ike")
	s.Child, _ = argString(m, "child")
	s.IKEID = uint32(argInt(m, "ike-id", 0))
	s.ChildID = uint32(argInt(m, "child-id", 0))
	return s
}

// findConfig looks a child (or, without one, an IKE) config up as charon
// does: a child in the named connection, or in any when none is named.
func (d *Daemon) findConfig(ike, child string) (*conn.Config, bool) {
	for _, c := range d.conns.Snapshot() {
		if ike != "" && c.Name != ike {
			continue
		}
		if child == "" || c.Child(child) != nil {
			return c, true
		}
	}
	return nil, false
}

func (d *Daemon) initiate(ctx context.Context, req *vici.Request) *vici.Message {
	m := req.Message
	sel := selector(m)
	kind, name := "CHILD_SA", sel.Child
	if name == "" {
		kind, name = "IKE_SA", sel.IKE
	}
	if name == "" {
		return vici.Failure("missing configuration name")
	}
	cfg, ok := d.findConfig(sel.IKE, sel.Child)
	if !ok {
		return vici.Failure(fmt.Sprintf("%s config '%s' not found", kind, name))
	}
	timeout := argInt(m, "timeout", 0)
	d.log.Info("initiate", "subsys", "cfg", "ike", cfg.Name, "child", sel.Child)
	if timeout < 0 {
		// charon returns at once and establishes in the background.
		go func() {
			if err := d.sas.Initiate(context.Background(), cfg, sel.Child, nil); err != nil {
				d.log.Info("establishing "+kind+" '"+name+"' failed", "subsys", "cfg",
					"err", err)
			}
		}()
		return vici.Success()
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(timeout)*time.Millisecond)
		defer cancel()
	}
	err := d.sas.Initiate(ctx, cfg, sel.Child, controlLog(req, argInt(m, "loglevel", 1)))
	switch {
	case err == nil:
		return vici.Success()
	case timeout > 0 && errors.Is(err, context.DeadlineExceeded):
		return vici.Failure(fmt.Sprintf("%s '%s' not established after %dms", kind, name,
			timeout))
	}
	return vici.Failure(fmt.Sprintf("establishing %s '%s' failed", kind, name))
}

// controlLog streams the records up to level to the requester as
// control-log events, with the keys of charon's.
func controlLog(req *vici.Request, level int64) func(ike.ControlLog) {
	return func(l ike.ControlLog) {
		if int64(l.Level) > level {
			return
		}
		m := vici.NewMessage().Set("group", l.Group).Set("level", strconv.Itoa(l.Level))
		if l.IKEName != "" {
			m.Set("ikesa-name", l.IKEName).Set("ikesa-uniqueid", u32(l.IKEUnique))
		}
		req.Emit("control-log", m.Set("msg", l.Msg))
	}
}

func (d *Daemon) terminate(ctx context.Context, req *vici.Request) *vici.Message {
	sel := selector(req.Message)
	if sel.empty() {
		return vici.Failure("missing terminate selector")
	}
	timeout := argInt(req.Message, "timeout", 0)
	var logf func(ike.ControlLog)
	if timeout >= 0 {
		logf = controlLog(req, argInt(req.Message, "loglevel", 1))
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(timeout)*time.Millisecond)
		defer cancel()
	}
	matches, done := d.sas.Terminate(ctx, sel, argBool(req.Message, "force", false), logf)
	r := vici.NewMessage().Set("success", "yes").
		Set("matches", strconv.Itoa(matches)).Set("terminated", strconv.Itoa(done))
	switch {
	case matches == 0:
		r.Set("success", "no").Set("errmsg", "no matching SAs to terminate found")
	case matches == 1 && done == 0:
		r.Set("success", "no").Set("errmsg", "terminating SA failed")
	case done < matches:
		r.Set("success", "no").Set("errmsg", "not all matching SAs could be terminated")
	}
	return r
}

func (d *Daemon) rekey(_ context.Context, req *vici.Request) *vici.Message {
	sel := selector(req.Message)
	if sel.empty() {
		return vici.Failure("missing rekey selector")
	}
	n := d.sas.Rekey(sel, argBool(req.Message, "reauth", false))
	r := vici.NewMessage().Set("success", "yes").Set("matches", strconv.Itoa(n))
	if n == 0 {
		r.Set("success", "no").Set("errmsg", "no matching SAs to rekey found")
	}
	return r
}

func (d *Daemon) redirect(_ context.Context, req *vici.Request) *vici.Message {
	m := req.Message
	gw, ok := argString(m, "gateway")
	if !ok {
		return vici.Failure("missing target gateway")
	}
	switch identity.Parse(gw).Type() {
	case identity.IPv4Addr, identity.IPv6Addr, identity.FQDN:
	default:
		return vici.Failure("unsupported gateway identity")
	}
	sel := Selector{IKEID: uint32(argInt(m, "ike-id", 0))}
	sel.IKE, _ = argString(m, "ike")
	peerIP, hasIP := argString(m, "peer-ip")
	if hasIP && !validPeerIP(peerIP) {
		return vici.Failure("invalid peer IP selector")
	}
	peerID, hasID := argString(m, "peer-id")
	if sel.IKE == "" && sel.IKEID == 0 && !hasIP && !hasID {
		return vici.Failure("missing redirect selector")
	}
	n := d.sas.Redirect(sel, peerIP, peerID, gw)
	r := vici.NewMessage().Set("success", "yes").Set("matches", strconv.Itoa(n))
	if n == 0 {
		r.Set("success", "no").Set("errmsg", "no matching SAs to redirect found")
	}
	return r
}

// validPeerIP accepts an address, a CIDR prefix or an a-b range.
func validPeerIP(s string) bool {
	if from, to, ok := strings.Cut(s, "-"); ok {
		a, err1 := netip.ParseAddr(from)
		b, err2 := netip.ParseAddr(to)
		return err1 == nil && err2 == nil && a.Is4() == b.Is4()
	}
	if _, err := netip.ParsePrefix(s); err == nil {
		return true
	}
	_, err := netip.ParseAddr(s)
	return err == nil
}

func (d *Daemon) install(_ context.Context, req *vici.Request) *vici.Message {
	sel := selector(req.Message)
	if sel.Child == "" {
		return vici.Failure("missing configuration name")
	}
	cfg, ok := d.findConfig(sel.IKE, sel.Child)
	if !ok {
		return vici.Failure("configuration name not found")
	}
	if err := d.sas.Install(cfg, sel.Child); err != nil {
		return vici.Failure(fmt.Sprintf("installing policy '%s' failed", sel.Child))
	}
	return vici.Success()
}

func (d *Daemon) uninstall(_ context.Context, req *vici.Request) *vici.Message {
	sel := selector(req.Message)
	if sel.Child == "" {
		return vici.Failure("missing configuration name")
	}
	if !d.sas.Uninstall(sel.Child, sel.IKE) {
		return vici.Failure(fmt.Sprintf("policy '%s' not found", sel.Child))
	}
	return vici.Success()
}

func (d *Daemon) listSAs(_ context.Context, req *vici.Request) *vici.Message {
	d.sas.ListSAs(selector(req.Message), func(m *vici.Message) bool {
		return req.Emit("list-sa", m)
	})
	return vici.NewMessage()
}

// listPolicies lists the kinds of policy the request names by the mere
// presence of a key, as charon does: none named lists nothing.
func (d *Daemon) listPolicies(_ context.Context, req *vici.Request) *vici.Message {
	modes := map[string]bool{}
	for _, k := range []string{"drop", "pass", "trap"} {
		if _, ok := req.Message.Lookup(k); ok {
			modes[k] = true
		}
	}
	child, _ := argString(req.Message, "child")
	if len(modes) > 0 {
		d.sas.ListPolicies(child, modes, func(m *vici.Message) bool {
			return req.Emit("list-policy", m)
		})
	}
	return vici.NewMessage()
}
