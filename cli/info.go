package cli

import (
	"fmt"
	"strings"

	"github.com/charond/charond/vici"
)

// request sends cmd and dumps the reply in raw or pretty mode. On a
// transport failure it prints swanctl's line and returns nil and errno.
func (e *env) request(cmd string, req *vici.Message, label string) (*vici.Message, int) {
	reply, err := e.client.call(cmd, req)
	if err != nil {
		return nil, int(e.requestFailed(cmd, err))
	}
	if e.format != formatText {
		dump(e.stdout, label+" reply", reply, e.format)
	}
	return reply, 0
}

// str looks up a dotted path of section names ending in a key, "" if absent.
func str(m *vici.Message, path string) string {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		m = m.Section(p)
	}
	v, _ := m.Get(parts[len(parts)-1])
	return v
}

var cmdVersion = &command{
	name: "version", short: 'v', desc: "show version information",
	usage: "--version " + rawPretty,
	opts: []option{optHelp, {long: "daemon", short: 'd', help: "query daemon version"},
		optRaw, optPretty},
	run: func(e *env) int {
		if !e.has("daemon") {
			fmt.Fprintf(e.stdout, "strongSwan swanctl %s\n", Version)
			return 0
		}
		reply, rc := e.request("version", nil, "version")
		if reply == nil || e.format != formatText {
			return rc
		}
		fmt.Fprintf(e.stdout, "strongSwan %s %s (%s, %s, %s)\n", str(reply, "version"),
			str(reply, "daemon"), str(reply, "sysname"), str(reply, "release"),
			str(reply, "machine"))
		return 0
	},
}

var cmdStats = &command{
	name: "stats", short: 'S', desc: "show daemon stats information",
	usage: "--stats " + rawPretty,
	opts:  []option{optHelp, optRaw, optPretty},
	run: func(e *env) int {
		reply, rc := e.request("stats", nil, "stats")
		if reply == nil || e.format != formatText {
			return rc
		}
		writeStats(e, reply)
		return 0
	},
}

func writeStats(e *env, m *vici.Message) {
	w := e.stdout
	fmt.Fprintf(w, "uptime: %s, since %s\n", str(m, "uptime.running"), str(m, "uptime.since"))
	fmt.Fprintf(w, "worker threads: %s total, %s idle, working: %s/%s/%s/%s\n",
		str(m, "workers.total"), str(m, "workers.idle"),
		str(m, "workers.active.critical"), str(m, "workers.active.high"),
		str(m, "workers.active.medium"), str(m, "workers.active.low"))
	fmt.Fprintf(w, "job queues: %s/%s/%s/%s\n", str(m, "queues.critical"),
		str(m, "queues.high"), str(m, "queues.medium"), str(m, "queues.low"))
	fmt.Fprintf(w, "jobs scheduled: %s\n", str(m, "scheduled"))
	fmt.Fprintf(w, "IKE_SAs: %s total, %s half-open\n", str(m, "ikesas.total"),
		str(m, "ikesas.half-open"))
	if m.Section("mem") != nil {
		fmt.Fprintf(w, "memory usage: %s bytes, %s allocations\n", str(m, "mem.total"),
			str(m, "mem.allocs"))
	}
	if m.Section("mallinfo") != nil {
		fmt.Fprintf(w, "mallinfo: sbrk %s, mmap %s, used %s, free %s\n",
			str(m, "mallinfo.sbrk"), str(m, "mallinfo.mmap"), str(m, "mallinfo.used"),
			str(m, "mallinfo.free"))
	}
	fmt.Fprint(w, "loaded plugins:")
	plugins, _ := m.List("plugins")
	for _, p := range plugins {
		fmt.Fprintf(w, " %s", p)
	}
	fmt.Fprintln(w)
}

var cmdReloadSettings = &command{
	name: "reload-settings", short: 'r', desc: "reload daemon strongswan.conf",
	usage: "--reload-settings " + rawPretty,
	opts:  []option{optHelp, optRaw, optPretty},
	run: func(e *env) int {
		reply, rc := e.request("reload-settings", nil, "reload-settings")
		if reply == nil || e.format != formatText {
			return rc
		}
		if !succeeded(reply) {
			fmt.Fprintf(e.stderr, "reload-settings failed: %s\n", errmsg(reply))
			return 1
		}
		return 0
	},
}
