package cli

import (
	"fmt"
	"strconv"

	"github.com/charond/charond/vici"
)

func nameOpt(long string, short byte, help string) option {
	return option{long: long, short: short, arg: true, help: help}
}

var cmdInitiate = &command{
	name: "initiate", short: 'i', desc: "initiate a connection",
	usage: "--initiate [--child <name>] [--ike <name>] [--timeout <s>] " + rawPretty,
	opts: []option{optHelp,
		nameOpt("child", 'c', "initiate a CHILD_SA configuration"),
		nameOpt("ike", 'i', "initiate an IKE_SA, or name of child's parent"),
		optTimeout, optRaw, optPretty, optLoglevel},
	run: func(e *env) int {
		req := e.selectors("child", "ike")
		e.addTimeout(req)
		return e.controlled("initiate", req)
	},
}

var cmdTerminate = &command{
	name: "terminate", short: 't', desc: "terminate a connection",
	usage: "--terminate --child <name> | --ike <name> | --child-id <id> | --ike-id <id>\n" +
		"                 [--timeout <s>] " + rawPretty,
	opts: []option{optHelp,
		nameOpt("child", 'c', "terminate by CHILD_SA name"),
		nameOpt("ike", 'i', "terminate by IKE_SA name"),
		nameOpt("child-id", 'C', "terminate by CHILD_SA unique identifier"),
		nameOpt("ike-id", 'I', "terminate by IKE_SA unique identifier"),
		{long: "force", short: 'f',
			help: "terminate IKE_SA without waiting, unless timeout is set"},
		optTimeout, optRaw, optPretty, optLoglevel},
	run: func(e *env) int {
		req := e.selectors("child", "ike", "child-id", "ike-id")
		if e.has("force") {
			req.Set("force", "yes")
		}
		e.addTimeout(req)
		return e.controlled("terminate", req)
	},
}

// selectors copies the given options, in that order, into a request.
func (e *env) selectors(names ...string) *vici.Message {
	req := vici.NewMessage()
	for _, n := range names {
		if v, ok := e.value(n); ok {
			req.Set(n, v)
		}
	}
	return req
}

// addTimeout adds timeout (seconds to milliseconds, left out if 0) and the
// log level, which is always sent.
func (e *env) addTimeout(req *vici.Message) {
	if v, ok := e.value("timeout"); ok {
		if s, _ := strconv.Atoi(v); s != 0 {
			req.Set("timeout", strconv.Itoa(s*1000))
		}
	}
	level := 1
	if v, ok := e.value("loglevel"); ok {
		level, _ = strconv.Atoi(v)
	}
	req.Set("loglevel", strconv.Itoa(level))
}

// controlled runs initiate or terminate, showing the control-log events.
func (e *env) controlled(cmd string, req *vici.Message) int {
	reply, err := e.client.stream(cmd, "control-log", req, func(m *vici.Message) {
		if e.format != formatText {
			dump(e.stdout, "log", m, e.format)
			return
		}
		fmt.Fprintf(e.stdout, "[%s] %s\n", str(m, "group"), str(m, "msg"))
	})
	if err != nil {
		return int(e.requestFailed(cmd, err))
	}
	if e.format != formatText {
		dump(e.stdout, cmd+" reply", reply, e.format)
		return 0
	}
	return e.completed(cmd, reply)
}

// completed prints "<cmd> completed successfully" or the failure.
func (e *env) completed(cmd string, reply *vici.Message) int {
	if !succeeded(reply) {
		fmt.Fprintf(e.stderr, "%s failed: %s\n", cmd, errmsg(reply))
		return 1
	}
	fmt.Fprintf(e.stdout, "%s completed successfully\n", cmd)
	return 0
}

// simple sends a command whose reply is only success or failure.
func (e *env) simple(cmd string, req *vici.Message) int {
	reply, rc := e.request(cmd, req, cmd)
	if reply == nil || e.format != formatText {
		return rc
	}
	return e.completed(cmd, reply)
}

var cmdRekey = &command{
	name: "rekey", short: 'R', desc: "rekey an SA",
	usage: "--rekey --child <name> | --ike <name> | --child-id <id> | --ike-id <id>\n" +
		"                 [--reauth] " + rawPretty,
	opts: []option{optHelp,
		nameOpt("child", 'c', "rekey by CHILD_SA name"),
		nameOpt("ike", 'i', "rekey by IKE_SA name"),
		nameOpt("child-id", 'C', "rekey by CHILD_SA unique identifier"),
		nameOpt("ike-id", 'I', "rekey by IKE_SA unique identifier"),
		{long: "reauth", short: 'a', help: "reauthenticate instead of rekey an IKEv2 SA"},
		optRaw, optPretty},
	run: func(e *env) int {
		req := e.selectors("child", "ike", "child-id", "ike-id")
		if e.has("reauth") {
			req.Set("reauth", "yes")
		}
		return e.simple("rekey", req)
	},
}

var cmdRedirect = &command{
	name: "redirect", short: 'd', desc: "redirect an IKE_SA",
	usage: "--redirect --ike <name> | --ike-id <id> | --peer-ip <ip|subnet|range>\n" +
		"                 --peer-id <id|wildcards> | --gateway <ip|fqdn> " + rawPretty,
	opts: []option{optHelp,
		nameOpt("ike", 'i', "redirect by IKE_SA name"),
		nameOpt("ike-id", 'I', "redirect by IKE_SA unique identifier"),
		nameOpt("peer-ip", 'p', "redirect by client IP"),
		nameOpt("peer-id", 'd', "redirect by IKE_SA name"),
		nameOpt("gateway", 'g', "target gateway (IP or FQDN)"),
		optRaw, optPretty},
	run: func(e *env) int {
		return e.simple("redirect", e.selectors("ike", "ike-id", "peer-ip", "peer-id", "gateway"))
	},
}

func policyCommand(name string, short byte, desc string) *command {
	return &command{
		name: name, short: short, desc: desc,
		usage: "--" + name + " --child <name> [--ike <name>] " + rawPretty,
		opts: []option{optHelp,
			nameOpt("child", 'c', "CHILD_SA configuration to "+name),
			nameOpt("ike", 'i', "name of the connection to which the child belongs"),
			optRaw, optPretty},
		run: func(e *env) int {
			req := e.selectors("child", "ike")
			reply, err := e.client.call(name, req)
			if err != nil {
				return int(e.requestFailed(name, err))
			}
			// swanctl 5.9.8 mixes up the two flags here: --raw changes
			// nothing and --pretty dumps under a split label.
			if e.format == formatPretty {
				fmt.Fprintln(e.stdout, name)
				dump(e.stdout, " reply", reply, formatPretty)
				return 0
			}
			return e.completed(name, reply)
		},
	}
}

var (
	cmdInstall   = policyCommand("install", 'p', "install a trap or shunt policy")
	cmdUninstall = policyCommand("uninstall", 'u', "uninstall a trap or shunt policy")
)
