package cli

// command is one swanctl operation: its option as the first word, the
// usage text and options of `--<name> --help`, and the code that runs it.
type command struct {
	name  string
	short byte
	desc  string   // line in the global usage
	usage string   // what follows "swanctl " in the command usage
	opts  []option // command options in usage order; the globals follow
	run   func(e *env) int
}

// Options shared by many commands, with swanctl's help texts.
var (
	optHelp   = option{long: "help", short: 'h', help: "show usage information"}
	optRaw    = option{long: "raw", short: 'r', help: "dump raw response message"}
	optPretty = option{long: "pretty", short: 'P',
		help: "dump raw response message in pretty print"}
	optFile  = option{long: "file", short: 'f', arg: true, help: "custom path to swanctl.conf"}
	optClear = option{long: "clear", short: 'c',
		help: "clear previously loaded credentials"}
	optNoprompt = option{long: "noprompt", short: 'n', help: "do not prompt for passwords"}
	optLoglevel = option{long: "loglevel", short: 'l', arg: true,
		help: "verbosity of redirected log"}
	optTimeout = option{long: "timeout", short: 't', arg: true,
		help: "timeout in seconds before detaching"}
)

// globalOpts follow every command's own options.
var globalOpts = []option{
	{long: "debug", short: 'v', arg: true, help: "set debug level, default: 1"},
	{long: "options", short: '+', arg: true, help: "read command line options from file"},
	{long: "uri", short: 'u', arg: true, help: "service URI to connect to"},
}

const rawPretty = "[--raw|--pretty]"

// commands lists the operations in swanctl's order; the order matters for
// the usage text and for getopt's ambiguity messages.
var commands []*command

func init() {
	commands = []*command{
		cmdCounters, cmdInitiate, cmdTerminate, cmdRekey, cmdRedirect,
		cmdUninstall, cmdInstall, cmdListSAs, cmdMonitorSA, cmdListPols,
		cmdListAuthorities, cmdListConns, cmdListCerts, cmdListPools,
		cmdListAlgs, cmdFlushCerts, cmdLoadAll, cmdLoadAuthorities,
		cmdLoadConns, cmdLoadCreds, cmdLoadPools, cmdLog, cmdVersion,
		cmdStats, cmdReloadSettings,
	}
}

// commandOptions is the table the first option is matched against.
func commandOptions() []option {
	opts := make([]option, 0, len(commands)+1)
	for _, c := range commands {
		opts = append(opts, option{long: c.name, short: c.short, help: c.desc})
	}
	return append(opts, optHelp)
}

// allOptions is a command's getopt table: its own options and the globals.
func (c *command) allOptions() []option {
	opts := make([]option, 0, len(c.opts)+len(globalOpts))
	opts = append(opts, c.opts...)
	return append(opts, globalOpts...)
}

func lookupCommand(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}
