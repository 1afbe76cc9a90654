package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/charond/charond/vici"
)

var cmdListPols = &command{
	name: "list-pols", short: 'P', desc: "list currently installed policies",
	usage: "--list-pols [--child <name>] [--trap] [--drop] [--pass] " + rawPretty,
	opts: []option{optHelp,
		nameOpt("child", 'c', "filter policies by CHILD_SA config name"),
		{long: "trap", short: 't', help: "list trap policies"},
		{long: "drop", short: 'd', help: "list drop policies"},
		{long: "pass", short: 'p', help: "list bypass policies"},
		optRaw, optPretty},
	run: func(e *env) int {
		req := e.selectors("child")
		all := !e.has("trap") && !e.has("drop") && !e.has("pass")
		for _, k := range []string{"trap", "drop", "pass"} {
			if all || e.has(k) {
				req.Set(k, "yes")
			}
		}
		return e.streamList("list-policies", "list-policy", req, func(m *vici.Message) {
			for _, p := range m.Entries() {
				if p.Kind != vici.KindSection {
					continue
				}
				pol := saValues{}
				for _, en := range p.Section.Entries() {
					pol.add(en)
				}
				fmt.Fprintf(e.stdout, "%s, %s\n", p.Name, pol.get("mode"))
				v, ok := pol["label"]
				writeLabel(e.stdout, "  label:  ", v, ok)
				fmt.Fprintf(e.stdout, "  local:  %s\n", pol.get("local-ts"))
				fmt.Fprintf(e.stdout, "  remote: %s\n", pol.get("remote-ts"))
			}
		})
	},
}

var cmdListAuthorities = &command{
	name: "list-authorities", short: 'B', desc: "list loaded authority configurations",
	usage: "--list-authorities " + rawPretty,
	opts: []option{optHelp, nameOpt("name", 'n', "filter by authority name"),
		optRaw, optPretty},
	run: func(e *env) int {
		return e.streamList("list-authorities", "list-authority", e.selectors("name"),
			func(m *vici.Message) { writeAuthorities(e.stdout, m) })
	},
}

// writeAuthorities renders a list-authority event as swanctl 5.9.8 does:
// further CRL URIs are indented under the first, while every OCSP URI
// repeats its label.
func writeAuthorities(w io.Writer, m *vici.Message) {
	for _, a := range m.Entries() {
		if a.Kind != vici.KindSection {
			continue
		}
		fmt.Fprintf(w, "%s:\n", a.Name)
		if v, ok := a.Section.Get("cacert"); ok {
			fmt.Fprintf(w, "  cacert: %s\n", v)
		}
		crls, _ := a.Section.List("crl_uris")
		for i, u := range crls {
			label := "  crl_uris:  "
			if i > 0 {
				label = strings.Repeat(" ", len(label))
			}
			fmt.Fprintf(w, "%s%s\n", label, u)
		}
		ocsps, _ := a.Section.List("ocsp_uris")
		for _, u := range ocsps {
			fmt.Fprintf(w, "  ocsp_uris: %s\n", u)
		}
		if v, ok := a.Section.Get("cert_uri_base"); ok {
			fmt.Fprintf(w, "  cert_uri_base: %s\n", v)
		}
	}
}

var cmdListAlgs = &command{
	name: "list-algs", short: 'g', desc: "show loaded algorithms",
	usage: "--list-algs " + rawPretty,
	opts:  []option{optHelp, optRaw, optPretty},
	run: func(e *env) int {
		reply, rc := e.request("get-algorithms", nil, "get-algorithms")
		if reply == nil || e.format != formatText {
			return rc
		}
		for _, t := range reply.Entries() {
			if t.Kind != vici.KindSection {
				continue
			}
			fmt.Fprintf(e.stdout, "%s:\n", t.Name)
			for _, a := range t.Section.Entries() {
				fmt.Fprintf(e.stdout, "  %s[%s]\n", a.Name, a.Value)
			}
		}
		return 0
	},
}

var cmdFlushCerts = &command{
	name: "flush-certs", short: 'f', desc: "flush cached certificates",
	usage: "--flush-certs [--type x509|x509_ac|x509_crl|ocsp_response|pubkey]\n" +
		"                 " + rawPretty,
	opts: []option{optHelp, nameOpt("type", 't', "filter by certificate type"),
		optRaw, optPretty},
	run: func(e *env) int {
		_, rc := e.request("flush-certs", e.selectors("type"), "flush-certs")
		return rc
	},
}

var cmdCounters = &command{
	name: "counters", short: 'C', desc: "list or reset IKE event counters",
	usage: "--counters [--name <name>|--all] [--reset] " + rawPretty,
	opts: []option{optHelp,
		nameOpt("name", 'n', "connection name, omit for global counters"),
		{long: "all", short: 'a', help: "get/reset counters for all tracked connections"},
		{long: "reset", short: 'R', help: "reset the counters"},
		optRaw, optPretty},
	run: func(e *env) int {
		req := e.selectors("name")
		if e.has("all") {
			req.Set("all", "yes")
		}
		cmd := "get-counters"
		if e.has("reset") {
			cmd = "reset-counters"
		}
		reply, rc := e.request(cmd, req, "counters")
		if reply == nil || e.format != formatText {
			return rc
		}
		if !succeeded(reply) {
			fmt.Fprintf(e.stderr, "%s failed: %s\n", cmd, errmsg(reply))
			return 1
		}
		if cmd == "reset-counters" {
			fmt.Fprintln(e.stdout, "reset-counters completed successfully")
			return 0
		}
		for _, set := range reply.Section("counters").Entries() {
			name := set.Name
			if name == "" {
				name = "global"
			}
			fmt.Fprintf(e.stdout, "%s:\n", name)
			for _, c := range set.Section.Entries() {
				fmt.Fprintf(e.stdout, "  %-22s: %s\n", c.Name, c.Value)
			}
		}
		return 0
	},
}
