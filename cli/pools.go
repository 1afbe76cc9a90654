package cli

import (
	"bufio"
	"fmt"

	"github.com/charond/charond/vici"
)

var cmdListPools = &command{
	name: "list-pools", short: 'A', desc: "list loaded pool configurations",
	usage: "--list-pools [--leases] " + rawPretty,
	opts: []option{optHelp, optRaw, optPretty,
		{long: "leases", short: 'l', help: "list leases of each pool"},
		{long: "name", short: 'n', arg: true, help: "filter pools by name"}},
	run: func(e *env) int {
		req := vici.NewMessage()
		if e.has("leases") {
			req.Set("leases", "yes")
		}
		if name, ok := e.value("name"); ok {
			req.Set("name", name)
		}
		reply, rc := e.request("get-pools", req, "get-pools")
		if reply == nil {
			return rc
		}
		if e.queryFailed("get-pools", reply) {
			return 1
		}
		if e.format != formatText {
			return 0
		}
		writePools(e, reply)
		return 0
	},
}

// writePools prints one line per pool and, if listed, one per lease. It
// walks the leases once in order (swanctl looks each up by index, which is
// quadratic) and buffers the output, so 100,000 leases print in
// milliseconds.
func writePools(e *env, m *vici.Message) {
	w := bufio.NewWriterSize(e.stdout, 64*1024)
	defer w.Flush()
	for _, p := range m.Entries() {
		if p.Kind != vici.KindSection {
			continue
		}
		s := p.Section
		fmt.Fprintf(w, "%-20s %-30s %16s\n", p.Name, str(s, "base"),
			str(s, "online")+" / "+str(s, "offline")+" / "+str(s, "size"))
		for _, l := range s.Section("leases").Entries() {
			if l.Kind != vici.KindSection {
				continue
			}
			fmt.Fprintf(w, "  %-30s %-8s '%s'\n", str(l.Section, "address"),
				str(l.Section, "status"), str(l.Section, "identity"))
		}
	}
}
