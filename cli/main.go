package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// env is what a running command sees: its parsed options, the output
// streams and the daemon connection.
type env struct {
	prog   string
	cmd    *command
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	opts   []parsedOpt // the command's options in command-line order
	format format
	client *client
	getenv func(string) string
}

// parsedOpt is one option as given.
type parsedOpt struct {
	name, val string
}

// has reports whether the long option name was given.
func (e *env) has(name string) bool {
	for _, o := range e.opts {
		if o.name == name {
			return true
		}
	}
	return false
}

// value returns the last value given for the long option name.
func (e *env) value(name string) (string, bool) {
	v, ok := "", false
	for _, o := range e.opts {
		if o.name == name {
			v, ok = o.val, true
		}
	}
	return v, ok
}

// Main runs swanctl with args (args[0] is the program name) and returns the
// exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return run(args, stdin, stdout, stderr, os.Getenv)
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer,
	getenv func(string) string) int {
	prog := "swanctl"
	if len(args) > 0 && args[0] != "" {
		prog = args[0]
	}
	st := loadStrongswanConf(getenv)
	warnMissingPlugins(stderr, st.missing)
	if len(args) < 2 {
		writeGlobalUsage(stdout, st.plugins)
		return 0
	}
	pre, rest := leadingGlobals(args[1:])
	rest = bareCommand(rest)
	g := &getopt{prog: prog, args: append([]string{prog}, rest...), idx: 1, errw: stderr}
	first := g.next(commandOptions())
	if first.opt == nil {
		fmt.Fprintln(stderr, "Error: invalid operation")
		writeGlobalUsage(stderr, st.plugins)
		return 1
	}
	if first.opt.long == "help" {
		writeGlobalUsage(stdout, st.plugins)
		return 0
	}
	cmd := lookupCommand(first.opt.long)
	e := &env{prog: prog, cmd: cmd, stdin: stdin, stdout: stdout, stderr: stderr,
		getenv: getenv}
	uri, ok := parseCommandLine(e, g, pre)
	if !ok {
		fmt.Fprintln(stderr, "Error: invalid options")
		writeCommandUsage(stderr, cmd)
		return 1
	}
	shown := uri
	if uri == "" {
		uri, shown = st.uri, st.shownURI
	}
	conn, err := dialURI(uri)
	if err != nil {
		en := errnoOf(err)
		if errors.Is(err, errBadURI) {
			// swanctl has no errno to show for a URI it cannot parse.
			en = 0
		} else {
			fmt.Fprintf(stderr, "connecting to '%s' failed: %s\n", uri, strerror(en))
		}
		fmt.Fprintf(stderr, "Error: connecting to '%s' URI failed: %s\n", shown, strerror(en))
		writeCommandUsage(stderr, cmd)
		return int(en)
	}
	e.client = newClient(conn)
	defer func() { _ = e.client.Close() }()
	if e.has("help") {
		writeCommandUsage(stdout, cmd)
		return 0
	}
	return cmd.run(e)
}

// parseCommandLine reads the command's options. Like swanctl, it checks the
// whole rest of the line (including what follows the command letter in a
// cluster such as -Sr) for invalid options and takes the global options
// from it, but the command's own options only from the following words.
// It returns the --uri value and false on a usage error.
func parseCommandLine(e *env, g *getopt, pre []parsedOpt) (string, bool) {
	opts := e.cmd.allOptions()
	uri := ""
	for _, o := range pre {
		if o.name == "uri" {
			uri = o.val
		}
	}
	start := g.idx
	for {
		r := g.next(opts)
		if r.err != nil {
			return "", false
		}
		if r.opt == nil {
			break
		}
		switch r.opt.long {
		// TODO: --debug is accepted but this client writes no debug log.
		case "uri":
			uri = r.val
		case "options":
			words, err := readOptionsFile(r.val)
			if err != nil {
				fmt.Fprintf(e.stderr, "%s: %v\n", e.prog, err)
				return "", false
			}
			g.args = append(g.args[:g.idx], append(words, g.args[g.idx:]...)...)
		}
	}
	g2 := &getopt{prog: g.prog, args: g.args, idx: start, errw: io.Discard}
	for {
		r := g2.next(opts)
		if r.opt == nil {
			break
		}
		e.opts = append(e.opts, parsedOpt{name: r.opt.long, val: r.val})
		switch r.opt.long {
		case "raw":
			if e.format != formatPretty {
				e.format = formatRaw
			}
		case "pretty":
			e.format = formatPretty
		}
	}
	return uri, true
}

// leadingGlobals takes --uri, --debug and --options (long forms only; -u
// and -v name commands there) from the front of the line: an extension of
// strongSwan 6.0's, which 5.9.8 rejects as an invalid operation.
func leadingGlobals(args []string) ([]parsedOpt, []string) {
	var pre []parsedOpt
	for len(args) > 0 {
		name, val, hasVal := strings.Cut(strings.TrimPrefix(args[0], "--"), "=")
		if !strings.HasPrefix(args[0], "--") ||
			(name != "uri" && name != "debug" && name != "options") {
			break
		}
		if !hasVal {
			if len(args) < 2 {
				break
			}
			val, args = args[1], args[1:]
		}
		args = args[1:]
		if name == "options" {
			words, err := readOptionsFile(val)
			if err == nil {
				args = append(words, args...)
			}
		}
		pre = append(pre, parsedOpt{name: name, val: val})
	}
	return pre, args
}

// bareCommand turns `load-all ...` into `--load-all ...`: an extension.
func bareCommand(args []string) []string {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return args
	}
	if args[0] != "help" && lookupCommand(args[0]) == nil {
		return args
	}
	out := append([]string{"--" + args[0]}, args[1:]...)
	return out
}
