package cli

import (
	"os"
	"path/filepath"
	"testing"
)

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Usage errors are detected before connecting; outputs were recorded from
// Debian's swanctl 5.9.8.
func TestUsageErrors(t *testing.T) {
	global := fixture(t, "usage.txt")
	stats := fixture(t, "usage-stats.txt")
	pools := fixture(t, "usage-list-pools.txt")
	tests := []struct {
		name     string
		args     []string
		out, err string
		rc       int
	}{
		{"no arguments", nil, global, "", 0},
		{"help", []string{"--help"}, global, "", 0},
		{"help before command", []string{"-h", "--stats"}, global, "", 0},
		{"help cluster", []string{"-hS"}, global, "", 0},
		{"unknown", []string{"--foo"}, "",
			"swanctl: unrecognized option '--foo'\nError: invalid operation\n" + global, 1},
		{"unknown short", []string{"-z"}, "",
			"swanctl: invalid option -- 'z'\nError: invalid operation\n" + global, 1},
		{"no option", []string{"foo"}, "", "Error: invalid operation\n" + global, 1},
		{"lone dash", []string{"-"}, "", "Error: invalid operation\n" + global, 1},
		{"ambiguous", []string{"--load"}, "", "swanctl: option '--load' is ambiguous; " +
			"possibilities: '--load-all' '--load-authorities' '--load-conns' " +
			"'--load-creds' '--load-pools'\nError: invalid operation\n" + global, 1},
		{"ambiguous list", []string{"--list-p"}, "", "swanctl: option '--list-p' is " +
			"ambiguous; possibilities: '--list-pols' '--list-pools'\n" +
			"Error: invalid operation\n" + global, 1},
		{"help with argument", []string{"--help=x"}, "",
			"swanctl: option '--help' doesn't allow an argument\n" +
				"Error: invalid operation\n" + global, 1},
		{"uri short before command is uninstall", []string{"-u", "x", "--stats"}, "",
			"swanctl: unrecognized option '--stats'\nError: invalid options\n" +
				fixture(t, "usage-uninstall.txt"), 1},
		{"command option unknown", []string{"--stats", "--foo"}, "",
			"swanctl: unrecognized option '--foo'\nError: invalid options\n" + stats, 1},
		{"missing short argument", []string{"--stats", "-u"}, "",
			"swanctl: option requires an argument -- 'u'\nError: invalid options\n" + stats, 1},
		{"missing long argument", []string{"--list-pools", "--name"}, "",
			"swanctl: option '--name' requires an argument\nError: invalid options\n" + pools, 1},
		{"argument not allowed", []string{"--stats", "--raw=x"}, "",
			"swanctl: option '--raw' doesn't allow an argument\nError: invalid options\n" +
				stats, 1},
		{"invalid in command cluster", []string{"-Sx"}, "",
			"swanctl: invalid option -- 'x'\nError: invalid options\n" + stats, 1},
		{"other command's option", []string{"-x", "--pem", "--stats"}, "",
			"swanctl: unrecognized option '--stats'\nError: invalid options\n" +
				fixture(t, "usage-list-certs.txt"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runSwanctl(t, nil, tt.args...)
			if r.out != tt.out || r.err != tt.err || r.rc != tt.rc {
				t.Errorf("got rc %d\nstdout:\n%s\nstderr:\n%s\nwant rc %d\nstdout:\n%s\nstderr:\n%s",
					r.rc, r.out, r.err, tt.rc, tt.out, tt.err)
			}
		})
	}
}

// Every command prints its usage once connected, as recorded from 5.9.8.
func TestCommandHelp(t *testing.T) {
	d := newFakeDaemon(t)
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			r := runSwanctl(t, nil, "--"+c.name, "--help", "--uri", d.uri)
			want := fixture(t, "usage-"+c.name+".txt")
			if r.rc != 0 || r.out != want || r.err != "" {
				t.Errorf("rc %d, stderr %q, stdout:\n%s\nwant:\n%s", r.rc, r.err, r.out, want)
			}
		})
	}
}

func TestConnectFailure(t *testing.T) {
	dir := t.TempDir()
	missing := "unix://" + filepath.Join(dir, "none.vici")
	notSock := filepath.Join(dir, "file")
	if err := os.WriteFile(notSock, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "strongswan.conf")
	if err := os.WriteFile(conf, []byte("swanctl {\n socket = "+missing+"\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	usage := fixture(t, "usage-stats.txt")
	tests := []struct {
		name string
		env  map[string]string
		args []string
		err  string
		rc   int
	}{
		{"missing socket", nil, []string{"--stats", "--uri", missing},
			"connecting to '" + missing + "' failed: No such file or directory\n" +
				"Error: connecting to '" + missing + "' URI failed: No such file or directory\n", 2},
		{"not a socket", nil, []string{"--stats", "--uri=unix://" + notSock},
			"connecting to 'unix://" + notSock + "' failed: Connection refused\n" +
				"Error: connecting to 'unix://" + notSock + "' URI failed: Connection refused\n",
			111},
		{"bad uri", nil, []string{"--stats", "-u", "foo"},
			"Error: connecting to 'foo' URI failed: Success\n", 0},
		{"configured socket", map[string]string{"STRONGSWAN_CONF": conf}, []string{"--stats"},
			"connecting to '" + missing + "' failed: No such file or directory\n" +
				"Error: connecting to '" + missing + "' URI failed: No such file or directory\n", 2},
		{"help needs the connection", nil, []string{"--stats", "--help", "-u", missing},
			"connecting to '" + missing + "' failed: No such file or directory\n" +
				"Error: connecting to '" + missing + "' URI failed: No such file or directory\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runSwanctl(t, tt.env, tt.args...)
			if r.rc != tt.rc || r.out != "" || r.err != tt.err+usage {
				t.Errorf("rc %d, stdout %q, stderr:\n%s", r.rc, r.out, r.err)
			}
		})
	}
}
