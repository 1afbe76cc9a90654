// Package cli is charond's swanctl: it parses a command line the way
// strongSwan's swanctl 5.9.8 does (getopt_long, the first option names the
// command), talks to a VICI daemon and prints what swanctl prints, with the
// same stdout/stderr split and exit codes.
//
// Two forms are accepted beyond strongSwan's: the long global options
// (--uri, --debug, --options) before the command, and the command as a bare
// word (`swanctl load-all`). A syntax error in swanctl.conf stops a load
// command before anything is loaded or unloaded, where strongSwan would
// carry on with an empty configuration and unload everything.
package cli
