package tests

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// swanctlCase is one swanctl command line run against two daemons in the
// same state; the cases run in order, so earlier loads are seen by later
// listings. norm, when set, maps both outputs before they are compared:
// it implements the allowed differences of the README table.
type swanctlCase struct {
	name string // the swanctl command and the input it covers
	args []string
	norm func(string) string
}

var (
	digits      = regexp.MustCompile(`[0-9]+`)
	versionLine = regexp.MustCompile(`^strongSwan \S+ \S+ \(`)
)

// daemonFigures keeps the shape of --stats output: the daemon's own
// figures (numbers, uptime, plugin names) are charond's.
func daemonFigures(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		switch {
		case strings.HasPrefix(l, "uptime: "):
			l = "uptime: ..."
		case strings.HasPrefix(l, "loaded plugins: "):
			l = "loaded plugins: ..."
		}
		out = append(out, digits.ReplaceAllString(l, "N"))
	}
	return strings.Join(out, "\n")
}

// algSections keeps the section lines of --list-algs: which algorithms
// and providers are listed is charond's own.
func algSections(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, " ") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// daemonVersion hides the version and daemon name of --version --daemon.
func daemonVersion(s string) string {
	return versionLine.ReplaceAllString(s, "strongSwan VERSION DAEMON (")
}

// swanctlCases cover every swanctl command that needs no IKE, with the
// input of interopConf and its credentials.
var swanctlCases = []swanctlCase{
	{"--load-all of every section, credentials of each folder", []string{"--load-all"}, nil},
	{"--load-all again: nothing unloaded", []string{"--load-all"}, nil},
	{"--load-creds --raw: replies of load-cert, load-key, load-shared",
		[]string{"--load-creds", "--raw"}, nil},
	{"--load-creds --clear", []string{"--load-creds", "--clear"}, nil},
	{"--load-pools", []string{"--load-pools"}, nil},
	{"--load-conns", []string{"--load-conns"}, nil},
	{"--load-authorities", []string{"--load-authorities"}, nil},
	{"--load-authorities --raw", []string{"--load-authorities", "--raw"}, nil},
	{"--list-certs: text of every type", []string{"--list-certs"}, nil},
	{"--list-certs --raw: order, flags and has_privkey", []string{"--list-certs", "--raw"}, nil},
	{"--list-certs --type x509 --flag ca", []string{"--list-certs", "--type", "x509",
		"--flag", "ca", "--raw"}, nil},
	{"--list-certs --type x509 --flag none", []string{"--list-certs", "--type", "x509",
		"--flag", "none", "--raw"}, nil},
	{"--list-certs --type x509ocsp", []string{"--list-certs", "--type", "x509ocsp", "--raw"}, nil},
	{"--list-certs --type pubkey", []string{"--list-certs", "--type", "pubkey", "--raw"}, nil},
	{"--list-certs --type x509crl", []string{"--list-certs", "--type", "x509crl", "--raw"}, nil},
	{"--list-certs --type bogus: nothing", []string{"--list-certs", "--type", "bogus", "--raw"}, nil},
	{"--list-certs --subject by DNS name", []string{"--list-certs", "--subject",
		"sun.drop.test", "--raw"}, nil},
	{"--list-certs --subject by DN", []string{"--list-certs", "--subject",
		"C=CH, O=drop, CN=moon.drop.test", "--raw"}, nil},
	{"--list-authorities", []string{"--list-authorities"}, nil},
	{"--list-authorities --raw", []string{"--list-authorities", "--raw"}, nil},
	{"--list-authorities --name unknown", []string{"--list-authorities", "--name", "x", "--raw"},
		nil},
	{"--list-conns --raw", []string{"--list-conns", "--raw"}, nil},
	{"--list-pools --leases", []string{"--list-pools", "--leases"}, nil},
	{"--list-sas: nothing negotiated", []string{"--list-sas", "--raw"}, nil},
	{"--list-sas --ike gw --noblock", []string{"--list-sas", "--ike", "gw", "--noblock"}, nil},
	{"--list-pols", []string{"--list-pols", "--raw"}, nil},
	{"--list-pols --trap", []string{"--list-pols", "--trap"}, nil},
	{"--list-algs: section names", []string{"--list-algs"}, algSections},
	{"--stats: the daemon's own figures", []string{"--stats"}, daemonFigures},
	{"--version --daemon", []string{"--version", "--daemon"}, daemonVersion},
	{"--version: swanctl only", []string{"--version"}, nil},
	{"--reload-settings", []string{"--reload-settings"}, nil},
	{"--reload-settings --raw", []string{"--reload-settings", "--raw"}, nil},
	{"--counters", []string{"--counters"}, nil},
	{"--counters --raw", []string{"--counters", "--raw"}, nil},
	{"--counters --all --raw", []string{"--counters", "--all", "--raw"}, nil},
	{"--counters --name unknown", []string{"--counters", "--name", "nope"}, nil},
	{"--counters --reset", []string{"--counters", "--reset"}, nil},
	{"--counters --reset --name unknown", []string{"--counters", "--reset", "--name", "x"}, nil},
	{"--flush-certs", []string{"--flush-certs", "--raw"}, nil},
	{"--flush-certs --type bogus", []string{"--flush-certs", "--type", "bogus", "--raw"}, nil},
	{"--initiate of an unknown child", []string{"--initiate", "--child", "nosuch"}, nil},
	{"--initiate of an unknown IKE config", []string{"--initiate", "--ike", "nosuch", "--raw"},
		nil},
	{"--initiate without a name", []string{"--initiate", "--raw"}, nil},
	{"--terminate of an unknown SA", []string{"--terminate", "--ike", "gw"}, nil},
	{"--terminate by ids", []string{"--terminate", "--child-id", "3", "--ike-id", "2", "--raw"},
		nil},
	{"--terminate without selector", []string{"--terminate", "--raw"}, nil},
	{"--rekey of an unknown SA", []string{"--rekey", "--ike", "gw", "--raw"}, nil},
	{"--rekey without selector", []string{"--rekey"}, nil},
	{"--redirect without gateway", []string{"--redirect", "--ike", "gw", "--raw"}, nil},
	{"--redirect to an e-mail gateway", []string{"--redirect", "--ike", "gw", "--gateway",
		"a@drop.test", "--raw"}, nil},
	{"--redirect with a bad peer IP", []string{"--redirect", "--gateway", "192.0.2.9",
		"--peer-ip", "garbage", "--raw"}, nil},
	{"--redirect without selector", []string{"--redirect", "--gateway", "gw.drop.test",
		"--raw"}, nil},
	{"--redirect of an unknown SA", []string{"--redirect", "--gateway", "192.0.2.9",
		"--peer-ip", "192.0.2.0/24", "--raw"}, nil},
	{"--install of an unknown child", []string{"--install", "--child", "nosuch"}, nil},
	{"--install without a name", []string{"--install"}, nil},
	{"--uninstall of a policy not installed", []string{"--uninstall", "--child", "net"}, nil},
	{"--load-creds --clear with an emptied file: authorities stay",
		[]string{"--load-creds", "--clear", "--file", "empty/swanctl.conf"}, nil},
	{"--list-certs after clear-creds: the authority's certificate",
		[]string{"--list-certs", "--raw"}, nil},
	{"--load-all --clear with an emptied file: everything unloaded",
		[]string{"--load-all", "--clear", "--file", "empty/swanctl.conf"}, nil},
	{"--list-authorities after unloading", []string{"--list-authorities", "--raw"}, nil},
	{"--list-certs after --clear: only what authorities hold", []string{"--list-certs", "--raw"},
		nil},
}

// endpoint is one swanctl binary and the daemon it talks to.
type endpoint struct {
	bin, conf, uri string
}

// runInterop runs every case against want and got and compares stdout,
// stderr and exit code, after the case's normalisation.
func runInterop(t *testing.T, dir string, want, got endpoint) {
	write(t, filepath.Join(dir, "empty/swanctl.conf"), "")
	for _, c := range swanctlCases {
		args := append(append([]string{}, c.args...), "--uri")
		w := runSwanctl(t, want.bin, want.conf, dir, append(args, want.uri)...)
		g := runSwanctl(t, got.bin, got.conf, dir, append(args, got.uri)...)
		// the URI shows up in connection errors only; it differs by design
		w.Stderr = strings.ReplaceAll(w.Stderr, want.uri, "URI")
		g.Stderr = strings.ReplaceAll(g.Stderr, got.uri, "URI")
		if c.norm != nil {
			w.Stdout, g.Stdout = c.norm(w.Stdout), c.norm(g.Stdout)
		}
		if testing.Verbose() {
			t.Logf("%s: %q %q %d", c.name, w.Stdout, w.Stderr, w.Code)
		}
		if w != g {
			t.Errorf("swanctl %s (%s):\n got: exit %d\n%s--- stderr\n%s"+
				"want: exit %d\n%s--- stderr\n%s", strings.Join(c.args, " "), c.name,
				g.Code, g.Stdout, g.Stderr, w.Code, w.Stdout, w.Stderr)
		}
	}
}

// TestInteropSwanctlAgainstCharond runs Debian's swanctl against the
// reference charon and against charond and wants the same results.
func TestInteropSwanctlAgainstCharond(t *testing.T) {
	ref := startRefCharon(t)
	ours := startDaemon(t, "")
	dir := writeInteropFixtures(t)
	runInterop(t, dir, endpoint{refSwanctlBin, ref.conf, ref.URI},
		endpoint{refSwanctlBin, ref.conf, ours.URI})
}

// TestInteropOurSwanctlAgainstCharon runs charond's swanctl and Debian's
// against two reference charons and wants the same results.
func TestInteropOurSwanctlAgainstCharon(t *testing.T) {
	a, b := startRefCharon(t), startRefCharon(t)
	dir := writeInteropFixtures(t)
	runInterop(t, dir, endpoint{refSwanctlBin, a.conf, a.URI},
		endpoint{filepath.Join(binDir, "swanctl"), a.conf, b.URI})
}

// TestInteropLog runs swanctl --log briefly against both daemons: both
// connect, register and disconnect on SIGINT alike. The records logged
// are each daemon's own, so stdout is not compared.
func TestInteropLog(t *testing.T) {
	ref := startRefCharon(t)
	ours := startDaemon(t, "")
	run := func(uri string) result {
		cmd := exec.Command(refSwanctlBin, "--log", "--uri", uri)
		cmd.Env = append(cmd.Environ(), "STRONGSWAN_CONF="+ref.conf)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
		_ = cmd.Process.Signal(syscall.SIGINT)
		_ = cmd.Wait()
		return result{Stderr: dropPluginNotes(errb.String()), Code: cmd.ProcessState.ExitCode()}
	}
	if w, g := run(ref.URI), run(ours.URI); w != g {
		t.Fatalf("swanctl --log: got %+v, want %+v", g, w)
	}
}
