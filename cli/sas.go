package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/charond/charond/vici"
)

var cmdListSAs = &command{
	name: "list-sas", short: 'l', desc: "list currently active IKE_SAs",
	usage: "--list-sas [--ike <name>|--ike-id <id>] [--child <name>|--child-id <id>]\n" +
		"                 " + rawPretty,
	opts: []option{optHelp,
		nameOpt("ike", 'i', "filter IKE_SAs by name"),
		nameOpt("ike-id", 'I', "filter IKE_SAs by unique identifier"),
		nameOpt("child", 'c', "filter CHILD_SAs by name"),
		nameOpt("child-id", 'C', "filter CHILD_SAs by unique identifier"),
		{long: "noblock", short: 'n', help: "don't wait for IKE_SAs in use"},
		optRaw, optPretty},
	run: func(e *env) int {
		req := vici.NewMessage()
		if e.has("noblock") {
			req.Set("noblock", "yes")
		}
		for _, k := range []string{"ike", "ike-id", "child", "child-id"} {
			if v, ok := e.value(k); ok {
				req.Set(k, v)
			}
		}
		return e.streamList("list-sas", "list-sa", req, func(m *vici.Message) {
			writeSAs(e.stdout, m)
		})
	},
}

// writeSAs renders the IKE_SA sections of a list-sa or up/down event.
// TODO: only the main lines are shown: the algorithm, lifetime, task and
// byte/packet counter lines of swanctl's rendering are missing.
func writeSAs(w io.Writer, m *vici.Message) {
	for _, s := range m.Entries() {
		if s.Kind != vici.KindSection {
			continue
		}
		sa := s.Section
		star := func(initiator bool) string {
			if (str(sa, "initiator") == "yes") == initiator {
				return "*"
			}
			return ""
		}
		fmt.Fprintf(w, "%s: #%s, %s, IKEv%s, %s_i%s %s_r%s\n", s.Name,
			str(sa, "uniqueid"), str(sa, "state"), str(sa, "version"),
			str(sa, "initiator-spi"), star(true), str(sa, "responder-spi"), star(false))
		fmt.Fprintf(w, "  local  '%s' @ %s[%s]%s\n", str(sa, "local-id"),
			str(sa, "local-host"), str(sa, "local-port"), vips(sa, "local-vips"))
		eap := ""
		if v, ok := sa.Get("remote-eap-id"); ok {
			eap = fmt.Sprintf(" EAP: '%s'", v)
		}
		fmt.Fprintf(w, "  remote '%s' @ %s[%s]%s%s\n", str(sa, "remote-id"),
			str(sa, "remote-host"), str(sa, "remote-port"), eap, vips(sa, "remote-vips"))
		for _, c := range sa.Section("child-sas").Entries() {
			if c.Kind != vici.KindSection {
				continue
			}
			ch := c.Section
			mode := str(ch, "mode")
			if str(ch, "encap") == "yes" {
				mode += "-in-UDP"
			}
			fmt.Fprintf(w, "  %s: #%s, reqid %s, %s, %s, %s\n", str(ch, "name"),
				str(ch, "uniqueid"), str(ch, "reqid"), str(ch, "state"), mode,
				str(ch, "protocol"))
			ts, _ := ch.List("local-ts")
			fmt.Fprintf(w, "    local  %s\n", strings.Join(ts, " "))
			ts, _ = ch.List("remote-ts")
			fmt.Fprintf(w, "    remote %s\n", strings.Join(ts, " "))
		}
	}
}

func vips(m *vici.Message, key string) string {
	l, _ := m.List(key)
	if len(l) == 0 {
		return ""
	}
	return " [" + strings.Join(l, " ") + "]"
}
