package tests

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/charond/charond/proxy"
)

// debianSwanctl is strongSwan's swanctl, the reference the golden files
// were recorded with.
const debianSwanctl = "/usr/sbin/swanctl"

// goldenRecord, when set to a VICI URI of a real charon 5.9.8 (the lab's),
// re-records the golden files with Debian's swanctl against it instead of
// testing.
var goldenRecord = flag.String("golden.record", "",
	"re-record tests/testdata/golden against the charon at this URI")

// goldenDir holds one folder per case: conf/ (the SWANCTL_DIR), steps (one
// swanctl command line per line; {dir} is conf/'s path) and expect/<n>.txt.
// A step starting with "!" is a deliberate difference from strongSwan: its
// expectation is charond's swanctl's own and Debian's swanctl is not run.
const goldenDir = "testdata/golden"

// transcript is what one swanctl run did: exit code, output and the
// packets it exchanged, decoded by the proxy.
type transcript struct {
	Code           int
	Stdout, Stderr string
	Wire           []string
}

func (tr transcript) String() string {
	return fmt.Sprintf("rc=%d\n--stdout\n%s--stderr\n%s--wire\n%s\n", tr.Code, tr.Stdout,
		tr.Stderr, strings.Join(tr.Wire, "\n"))
}

// requests keeps the packets swanctl sent; replies may differ between
// charond and charon where the README says so.
func (tr transcript) requests() string {
	var out []string
	for _, l := range tr.Wire {
		if strings.HasPrefix(l, "> ") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// parseTranscript reads a golden file back.
func parseTranscript(s string) (transcript, error) {
	var tr transcript
	head, rest, ok := strings.Cut(s, "\n--stdout\n")
	if !ok {
		return tr, errors.New("golden: no --stdout")
	}
	if _, err := fmt.Sscanf(head, "rc=%d", &tr.Code); err != nil {
		return tr, fmt.Errorf("golden: exit code: %w", err)
	}
	if tr.Stdout, rest, ok = strings.Cut(rest, "--stderr\n"); !ok {
		return tr, errors.New("golden: no --stderr")
	}
	wire := ""
	if tr.Stderr, wire, ok = strings.Cut(rest, "--wire\n"); !ok {
		return tr, errors.New("golden: no --wire")
	}
	for _, l := range strings.Split(strings.TrimRight(wire, "\n"), "\n") {
		if l != "" {
			tr.Wire = append(tr.Wire, l)
		}
	}
	return tr, nil
}

// syncBuffer collects the proxy's lines from its goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// runThroughProxy runs swanctl binary bin with args against upstream
// through a recording proxy, with dir as SWANCTL_DIR, an empty stdin and
// no controlling terminal, so that passphrase prompts go to stderr.
func runThroughProxy(t *testing.T, bin, upstream, dir string, args []string) transcript {
	t.Helper()
	rec := &syncBuffer{}
	sock := filepath.Join(t.TempDir(), "gold-proxy.vici")
	p, err := proxy.Start("unix://"+sock, upstream, rec)
	if err != nil {
		t.Fatalf("starting the proxy: %v", err)
	}
	conf, err := filepath.Abs(filepath.Join(goldenDir, "strongswan.conf"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append(args, "--uri", "unix://"+sock)...)
	cmd.Env = append(os.Environ(), "STRONGSWAN_CONF="+conf, "SWANCTL_DIR="+dir)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	p.Close()
	tr := transcript{Stdout: out.String(), Stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		tr.Code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", bin, args, err)
	}
	for _, l := range strings.Split(rec.b.String(), "\n") {
		if _, rest, ok := strings.Cut(l, " "); ok && strings.HasPrefix(l, "#") {
			tr.Wire = append(tr.Wire, rest)
		}
	}
	return tr
}
