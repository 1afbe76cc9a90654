package cli

import (
	"errors"
	"fmt"
	"runtime/debug"
	"syscall"

	"github.com/charond/charond/config"
)

// swanctlConf is a parsed swanctl.conf with the folder its credential
// paths are relative to.
type swanctlConf struct {
	root config.Section
	base string
}

// readConf parses the file of --file (else <base>/swanctl.conf). Unlike
// strongSwan's swanctl, a file that cannot be read or parsed is fatal, so
// that a typo never unloads everything: it returns false and the exit code.
func (e *env) readConf() (*swanctlConf, int) {
	// The parsed file and its requests stay live to the end: collecting
	// less often saves a third of swanctl's user CPU on 10,000 conns.
	debug.SetGCPercent(400)
	file, _ := e.value("file")
	path := config.ConfigFile(file)
	s, warns, err := config.ParseFile(path)
	for _, w := range warns {
		fmt.Fprintln(e.stderr, w)
	}
	if err != nil {
		var se *config.SyntaxError
		var ie *config.IncludeError
		if errors.As(err, &se) {
			fmt.Fprintf(e.stderr, "%s:%d:%d: %s\n", se.File, se.Line, se.Column, se.Msg)
		} else if errors.As(err, &ie) {
			fmt.Fprintln(e.stderr, ie.Message())
		} else {
			fmt.Fprintln(e.stderr, err)
		}
		fmt.Fprintf(e.stderr, "loading '%s' failed, nothing loaded or unloaded\n", path)
		return nil, int(syscall.EINVAL)
	}
	return &swanctlConf{root: s.Section, base: config.BaseDir(file)}, 0
}

var cmdLoadPools = &command{
	name: "load-pools", short: 'a', desc: "(re-)load pool configuration",
	usage: "--load-pools " + rawPretty,
	opts:  []option{optHelp, optRaw, optPretty, optFile},
	run: func(e *env) int {
		c, rc := e.readConf()
		if c == nil {
			return rc
		}
		return e.loadPools(c)
	},
}

func (e *env) loadPools(c *swanctlConf) int {
	return e.reconcile(kindPools, config.Pools(c.root))
}

var cmdLoadConns = &command{
	name: "load-conns", short: 'c', desc: "(re-)load connection configuration",
	usage: "--load-conns " + rawPretty,
	opts:  []option{optHelp, optRaw, optPretty, optFile},
	run: func(e *env) int {
		c, rc := e.readConf()
		if c == nil {
			return rc
		}
		return e.loadConns(c)
	},
}

func (e *env) loadConns(c *swanctlConf) int {
	return e.reconcile(kindConns, config.Connections(c.root, c.base))
}

var cmdLoadAuthorities = &command{
	name: "load-authorities", short: 'b', desc: "(re-)load authority configuration",
	usage: "--load-authorities " + rawPretty,
	opts:  []option{optHelp, optRaw, optPretty, optFile},
	run: func(e *env) int {
		c, rc := e.readConf()
		if c == nil {
			return rc
		}
		return e.loadAuthorities(c)
	},
}

func (e *env) loadAuthorities(c *swanctlConf) int {
	return e.reconcile(kindAuthorities, config.Authorities(c.root, c.base))
}

var cmdLoadAll = &command{
	name: "load-all", short: 'q',
	desc:  "load credentials, authorities, pools and connections",
	usage: "--load-all " + rawPretty + " [--clear] [--noprompt]",
	opts:  []option{optHelp, optClear, optNoprompt, optRaw, optPretty, optFile},
	run: func(e *env) int {
		c, rc := e.readConf()
		if c == nil {
			return rc
		}
		// Pools go before connections so that connections find them.
		for _, step := range []func(*swanctlConf) int{
			e.loadCreds, e.loadAuthorities, e.loadPools, e.loadConns,
		} {
			if rc := step(c); rc != 0 {
				return rc
			}
		}
		return 0
	},
}
