package cli

import (
	"fmt"
	"io"
	"strings"
)

// option is one entry of a getopt_long option table.
type option struct {
	long  string
	short byte
	arg   bool   // takes a required argument
	help  string // description in the usage text
}

// getopt walks a command line with GNU getopt_long's rules: options may be
// abbreviated to a unique prefix, short options cluster, words that are not
// options are skipped, "--" ends the options. Diagnostics are glibc's,
// written to errw with prog as prefix.
type getopt struct {
	prog    string
	args    []string
	idx     int    // next argument to look at
	cluster string // rest of a short option cluster being read
	errw    io.Writer
}

// result of one step. opt is nil at the end of the options or on an error
// (then err is set and the diagnostic already written).
type optResult struct {
	opt *option
	val string
	err error
}

// errUsage marks an option getopt rejected.
var errUsage = fmt.Errorf("cli: invalid option")

func (g *getopt) next(opts []option) optResult {
	if g.cluster != "" {
		return g.short(opts)
	}
	for g.idx < len(g.args) {
		a := g.args[g.idx]
		g.idx++
		switch {
		case a == "--":
			g.idx = len(g.args)
			return optResult{}
		case strings.HasPrefix(a, "--"):
			return g.long(opts, a[2:])
		case len(a) > 1 && a[0] == '-':
			g.cluster = a[1:]
			return g.short(opts)
		}
	}
	return optResult{}
}

func (g *getopt) fail(format string, args ...any) optResult {
	fmt.Fprintf(g.errw, "%s: "+format+"\n", append([]any{g.prog}, args...)...)
	return optResult{err: errUsage}
}

func (g *getopt) short(opts []option) optResult {
	c := g.cluster[0]
	g.cluster = g.cluster[1:]
	var o *option
	for i := range opts {
		if opts[i].short == c {
			o = &opts[i]
			break
		}
	}
	if o == nil {
		return g.fail("invalid option -- '%c'", c)
	}
	if !o.arg {
		return optResult{opt: o}
	}
	if g.cluster != "" {
		v := g.cluster
		g.cluster = ""
		return optResult{opt: o, val: v}
	}
	if g.idx >= len(g.args) {
		return g.fail("option requires an argument -- '%c'", c)
	}
	g.idx++
	return optResult{opt: o, val: g.args[g.idx-1]}
}

func (g *getopt) long(opts []option, body string) optResult {
	name, val, hasVal := strings.Cut(body, "=")
	o, res := g.match(opts, name, body)
	if o == nil {
		return res
	}
	switch {
	case hasVal && !o.arg:
		return g.fail("option '--%s' doesn't allow an argument", o.long)
	case hasVal:
		return optResult{opt: o, val: val}
	case !o.arg:
		return optResult{opt: o}
	case g.idx >= len(g.args):
		return g.fail("option '--%s' requires an argument", o.long)
	}
	g.idx++
	return optResult{opt: o, val: g.args[g.idx-1]}
}

// match finds the option name names exactly or as a unique prefix.
func (g *getopt) match(opts []option, name, body string) (*option, optResult) {
	var found []*option
	for i := range opts {
		if opts[i].long == name {
			return &opts[i], optResult{}
		}
		if strings.HasPrefix(opts[i].long, name) {
			found = append(found, &opts[i])
		}
	}
	switch len(found) {
	case 0:
		return nil, g.fail("unrecognized option '--%s'", body)
	case 1:
		return found[0], optResult{}
	}
	var b strings.Builder
	for _, o := range found {
		fmt.Fprintf(&b, " '--%s'", o.long)
	}
	return nil, g.fail("option '--%s' is ambiguous; possibilities:%s", name, b.String())
}
