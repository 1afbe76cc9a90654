package cli

import (
	"fmt"
	"io"

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

// writeSAs renders the IKE_SA sections of a list-sa or up/down event as
// swanctl 5.9.8 does. Like swanctl it gathers an SA's values (list items
// joined by spaces, unprintable values dropped) and prints the IKE_SA once
// its child-sas section comes, from the values seen before it; a value
// swanctl prints without checking shows as "(null)" when missing.
func writeSAs(w io.Writer, m *vici.Message) {
	for _, s := range m.Entries() {
		if s.Kind != vici.KindSection {
			continue
		}
		ike := saValues{"name": s.Name}
		for _, e := range s.Section.Entries() {
			if e.Kind != vici.KindSection {
				ike.add(e)
				continue
			}
			if e.Name != "child-sas" {
				continue
			}
			writeIKESA(w, ike)
			for _, c := range e.Section.Entries() {
				if c.Kind == vici.KindSection {
					writeChildSA(w, c.Section)
				}
			}
		}
	}
}

// saValues are an SA's printable values by name.
type saValues map[string]string

func (v saValues) add(e vici.Entry) {
	switch e.Kind {
	case vici.KindValue:
		if isPrintable([]byte(e.Value)) {
			v[e.Name] = e.Value
		}
	case vici.KindList:
		for _, it := range e.Items {
			if !isPrintable([]byte(it)) {
				continue
			}
			if old, ok := v[e.Name]; ok {
				it = old + " " + it
			}
			v[e.Name] = it
		}
	}
}

// get is the value as C's printf shows a string that may be NULL.
func (v saValues) get(k string) string {
	if s, ok := v[k]; ok {
		return s
	}
	return "(null)"
}

func (v saValues) has(k string) bool {
	_, ok := v[k]
	return ok
}

func writeIKESA(w io.Writer, ike saValues) {
	initiator := ike["initiator"] == "yes"
	star := func(b bool) string {
		if b {
			return "*"
		}
		return ""
	}
	fmt.Fprintf(w, "%s: #%s, %s, IKEv%s, %s_i%s %s_r%s\n", ike.get("name"),
		ike.get("uniqueid"), ike.get("state"), ike.get("version"),
		ike.get("initiator-spi"), star(initiator), ike.get("responder-spi"),
		star(!initiator))
	fmt.Fprintf(w, "  local  '%s' @ %s[%s]", ike.get("local-id"), ike.get("local-host"),
		ike.get("local-port"))
	if ike.has("local-vips") {
		fmt.Fprintf(w, " [%s]", ike["local-vips"])
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  remote '%s' @ %s[%s]", ike.get("remote-id"), ike.get("remote-host"),
		ike.get("remote-port"))
	if ike.has("remote-eap-id") {
		fmt.Fprintf(w, " EAP: '%s'", ike["remote-eap-id"])
	}
	if ike.has("remote-xauth-id") {
		fmt.Fprintf(w, " XAuth: '%s'", ike["remote-xauth-id"])
	}
	if ike.has("remote-vips") {
		fmt.Fprintf(w, " [%s]", ike["remote-vips"])
	}
	fmt.Fprintln(w)
	if ike.has("encr-alg") {
		fmt.Fprintf(w, "  %s", ike["encr-alg"])
		if ike.has("encr-keysize") {
			fmt.Fprintf(w, "-%s", ike["encr-keysize"])
		}
		if ike.has("integ-alg") {
			fmt.Fprintf(w, "/%s", ike["integ-alg"])
		}
		if ike.has("integ-keysize") {
			fmt.Fprintf(w, "-%s", ike["integ-keysize"])
		}
		fmt.Fprintf(w, "/%s/%s", ike.get("prf-alg"), ike.get("dh-group"))
		if ike["ppk"] == "yes" {
			fmt.Fprint(w, "/PPK")
		}
		fmt.Fprintln(w)
	}
	if ike.has("established") {
		fmt.Fprintf(w, "  established %ss ago", ike["established"])
		for _, t := range []struct{ key, text string }{
			{"rekey-time", "rekeying in"}, {"reauth-time", "reauth in"},
			{"life-time", "expires in"},
		} {
			if ike.has(t.key) {
				fmt.Fprintf(w, ", %s %ss", t.text, ike[t.key])
			}
		}
		fmt.Fprintln(w)
	}
	for _, t := range []struct{ key, text string }{
		{"tasks-queued", "queued: "}, {"tasks-active", "active: "},
		{"tasks-passive", "passive:"},
	} {
		if ike.has(t.key) {
			fmt.Fprintf(w, "  %s %s\n", t.text, ike[t.key])
		}
	}
}

func writeChildSA(w io.Writer, m *vici.Message) {
	ch := saValues{}
	for _, e := range m.Entries() {
		ch.add(e)
	}
	encap := ""
	if ch.has("encap") {
		encap = "-in-UDP"
	}
	fmt.Fprintf(w, "  %s: #%s, reqid %s, %s, %s%s, %s:", ch.get("name"), ch.get("uniqueid"),
		ch.get("reqid"), ch.get("state"), ch.get("mode"), encap, ch.get("protocol"))
	if ch.has("encr-alg") {
		fmt.Fprint(w, ch["encr-alg"])
		if ch.has("encr-keysize") {
			fmt.Fprintf(w, "-%s", ch["encr-keysize"])
		}
	}
	if ch.has("integ-alg") {
		if ch.has("encr-alg") {
			fmt.Fprint(w, "/")
		}
		fmt.Fprint(w, ch["integ-alg"])
		if ch.has("integ-keysize") {
			fmt.Fprintf(w, "-%s", ch["integ-keysize"])
		}
	}
	for _, k := range []string{"prf-alg", "dh-group"} {
		if ch.has(k) {
			fmt.Fprintf(w, "/%s", ch[k])
		}
	}
	if ch.has("esn") {
		fmt.Fprint(w, "/ESN")
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "    installed %ss ago", ch.get("install-time"))
	if ch.has("rekey-time") {
		fmt.Fprintf(w, ", rekeying in %ss", ch["rekey-time"])
	}
	if ch.has("life-time") {
		fmt.Fprintf(w, ", expires in %ss", ch["life-time"])
	}
	fmt.Fprintln(w)
	for _, dir := range []string{"in", "out"} {
		pad := " "
		if dir == "out" {
			pad = ""
		}
		fmt.Fprintf(w, "    %s%s %s", dir, pad, ch.get("spi-"+dir))
		if ch.has("cpi-" + dir) {
			fmt.Fprintf(w, "/%s", ch["cpi-"+dir])
		}
		if ch.has("mark-"+dir) || ch.has("if-id-"+dir) {
			fmt.Fprint(w, " (")
			if ch.has("mark-" + dir) {
				fmt.Fprintf(w, "0x%s", ch["mark-"+dir])
				if ch.has("mark-mask-" + dir) {
					fmt.Fprintf(w, "/0x%s", ch["mark-mask-"+dir])
				}
			} else {
				fmt.Fprint(w, "-")
			}
			if ch.has("if-id-" + dir) {
				fmt.Fprintf(w, "|0x%s", ch["if-id-"+dir])
			}
			fmt.Fprint(w, ")")
		}
		fmt.Fprintf(w, ", %6s bytes, %5s packets", ch.get("bytes-"+dir), ch.get("packets-"+dir))
		if ch.has("use-" + dir) {
			fmt.Fprintf(w, ", %5ss ago", ch["use-"+dir])
		}
		fmt.Fprintln(w)
	}
	v, ok := ch["label"]
	writeLabel(w, "    label  ", v, ok)
	fmt.Fprintf(w, "    local  %s\n", ch.get("local-ts"))
	fmt.Fprintf(w, "    remote %s\n", ch.get("remote-ts"))
}
