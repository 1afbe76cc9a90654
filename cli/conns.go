package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/charond/charond/vici"
)

var cmdListConns = &command{
	name: "list-conns", short: 'L', desc: "list loaded configurations",
	usage: "--list-conns " + rawPretty,
	opts:  []option{optHelp, optRaw, optPretty},
	run: func(e *env) int {
		return e.streamList("list-conns", "list-conn", vici.NewMessage(),
			func(m *vici.Message) { writeConns(e.stdout, m) })
	},
}

// streamList runs a streamed listing: each event is dumped or rendered as
// it arrives, then the final reply is dumped in raw mode.
func (e *env) streamList(cmd, event string, req *vici.Message,
	render func(*vici.Message)) int {
	// Buffer the listing, as C's stdio does a redirected stdout: written
	// line by line, 10,000 connections took 180,000 write calls.
	out := bufio.NewWriterSize(e.stdout, 64*1024)
	stdout := e.stdout
	e.stdout = out
	defer func() { _ = out.Flush(); e.stdout = stdout }()
	reply, err := e.client.stream(cmd, event, req, func(m *vici.Message) {
		if e.format != formatText {
			dump(e.stdout, eventLabel(cmd, event), m, e.format)
			return
		}
		render(m)
	})
	if err != nil {
		_ = out.Flush()
		return int(e.requestFailed(cmd, err))
	}
	if e.format != formatText {
		dump(e.stdout, cmd+" reply", reply, e.format)
	}
	return 0
}

// eventLabel is the label swanctl dumps a streamed event under: the event's
// name, except for list-authorities, which uses the command's.
func eventLabel(cmd, event string) string {
	if cmd == "list-authorities" {
		return cmd + " event"
	}
	return event + " event"
}

// writeConns renders one list-conn event.
func writeConns(w io.Writer, m *vici.Message) {
	for _, c := range m.Entries() {
		if c.Kind == vici.KindSection {
			writeConn(w, c.Name, c.Section)
		}
	}
}

func writeConn(w io.Writer, name string, c *vici.Message) {
	version := str(c, "version")
	reauth, rekey, dpd := str(c, "reauth_time"), str(c, "rekey_time"), str(c, "dpd_delay")
	fmt.Fprintf(w, "%s: %s, ", name, version)
	if version == "IKEv1" && isZero(reauth) {
		reauth = rekey
	}
	if isZero(reauth) {
		fmt.Fprint(w, "no reauthentication")
	} else {
		fmt.Fprintf(w, "reauthentication every %ss", reauth)
	}
	if version != "IKEv1" {
		if isZero(rekey) {
			fmt.Fprint(w, ", no rekeying")
		} else {
			fmt.Fprintf(w, ", rekeying every %ss", rekey)
		}
	}
	if !isZero(dpd) {
		fmt.Fprintf(w, ", dpd delay %ss", dpd)
	}
	fmt.Fprintln(w)
	ppkID, hasID := c.Get("ppk_id")
	ppkReq, hasReq := c.Get("ppk_required")
	if hasID || hasReq {
		fmt.Fprint(w, "  ppk: ")
		if hasID {
			fmt.Fprintf(w, "%s, ", ppkID)
		}
		if ppkReq != "yes" {
			fmt.Fprint(w, "not ")
		}
		fmt.Fprintln(w, "required")
	}
	addrs, _ := c.List("local_addrs")
	for _, a := range addrs {
		fmt.Fprintf(w, "  local:  %s\n", a)
	}
	addrs, _ = c.List("remote_addrs")
	for _, a := range addrs {
		fmt.Fprintf(w, "  remote: %s\n", a)
	}
	for _, e := range c.Entries() {
		if e.Kind != vici.KindSection {
			continue
		}
		switch {
		case strings.HasPrefix(e.Name, "local"):
			writeAuth(w, "local", e.Section)
		case strings.HasPrefix(e.Name, "remote"):
			writeAuth(w, "remote", e.Section)
		case e.Name == "children":
			for _, ch := range e.Section.Entries() {
				if ch.Kind == vici.KindSection {
					writeChild(w, ch.Name, ch.Section, !isZero(dpd))
				}
			}
		}
	}
}

func isZero(v string) bool { return v == "" || v == "0" }

// writeAuth renders one authentication round; an EAP round is named after
// its method.
func writeAuth(w io.Writer, side string, a *vici.Message) {
	class, ok := a.Get("eap-type")
	if !ok {
		class, ok = a.Get("class")
	}
	if !ok {
		class = "unspecified"
	}
	fmt.Fprintf(w, "  %s %s authentication:\n", side, class)
	for _, k := range []string{"id", "ca_id", "eap_id", "xauth_id", "aaa_id"} {
		if v, ok := a.Get(k); ok {
			fmt.Fprintf(w, "    %s: %s\n", k, v)
		}
	}
	for _, l := range []struct{ key, label string }{
		{"groups", "groups"}, {"cert_policy", "cert policy"},
		{"certs", "certs"}, {"cacerts", "cacerts"},
	} {
		if items, _ := a.List(l.key); len(items) > 0 {
			fmt.Fprintf(w, "    %s: %s\n", l.label, strings.Join(items, " "))
		}
	}
}

// writeChild renders one child configuration.
func writeChild(w io.Writer, name string, c *vici.Message, dpd bool) {
	mode := str(c, "mode")
	fmt.Fprintf(w, "  %s: %s, ", name, mode)
	t, b, p := str(c, "rekey_time"), str(c, "rekey_bytes"), str(c, "rekey_packets")
	if mode == "PASS" || mode == "DROP" || (isZero(t) && isZero(b) && isZero(p)) {
		fmt.Fprint(w, "no rekeying")
	} else {
		fmt.Fprint(w, "rekeying every")
		sep := ""
		if !isZero(t) {
			fmt.Fprintf(w, " %ss", t)
			sep = " or"
		}
		if !isZero(b) {
			fmt.Fprintf(w, "%s %s bytes", sep, b)
			sep = " or"
		}
		if !isZero(p) {
			fmt.Fprintf(w, "%s %s packets", sep, p)
		}
	}
	if dpd {
		fmt.Fprintf(w, ", dpd action is %s", str(c, "dpd_action"))
	}
	fmt.Fprintln(w)
	v, ok := c.Get("label")
	writeLabel(w, "    label:  ", v, ok)
	ts, _ := c.List("local-ts")
	fmt.Fprintf(w, "    local:  %s\n", strings.Join(ts, " "))
	ts, _ = c.List("remote-ts")
	fmt.Fprintf(w, "    remote: %s\n", strings.Join(ts, " "))
	if v, ok := c.Get("interface"); ok {
		fmt.Fprintf(w, "    interface: %s\n", v)
	}
	if v, ok := c.Get("priority"); ok {
		fmt.Fprintf(w, "    priority: %s\n", v)
	}
}
