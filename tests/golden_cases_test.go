package tests

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// goldenStep is one swanctl command of a case.
type goldenStep struct {
	args []string // with {dir} still in them
	ours bool     // a deliberate difference: not run with Debian's swanctl
}

// goldenCases lists the case folders and their steps.
func goldenCases(t *testing.T) map[string][]goldenStep {
	t.Helper()
	ents, err := os.ReadDir(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]goldenStep{}
	for _, ent := range ents {
		if !ent.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(goldenDir, ent.Name(), "steps"))
		if err != nil {
			t.Fatal(err)
		}
		var steps []goldenStep
		for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			s := goldenStep{}
			if rest, ok := strings.CutPrefix(l, "!"); ok {
				l, s.ours = rest, true
			}
			s.args = strings.Fields(l)
			steps = append(steps, s)
		}
		cases[ent.Name()] = steps
	}
	if len(cases) == 0 {
		t.Fatal("no golden cases found")
	}
	return cases
}

// copyTree copies a case's conf/ folder to a fresh folder and returns it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "conf")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func (s goldenStep) expand(dir string) []string {
	out := make([]string, len(s.args))
	for i, a := range s.args {
		out[i] = strings.ReplaceAll(a, "{dir}", dir)
	}
	return out
}

func expectFile(name string, i int) string {
	return filepath.Join(goldenDir, name, "expect", strconv.Itoa(i+1)+".txt")
}

// readExpected reads step i's golden transcript with {dir} filled in.
func readExpected(t *testing.T, name string, i int, dir string) transcript {
	t.Helper()
	data, err := os.ReadFile(expectFile(name, i))
	if err != nil {
		t.Fatalf("%v (record the golden files with -golden.record)", err)
	}
	tr, err := parseTranscript(strings.ReplaceAll(string(data), "{dir}", dir))
	if err != nil {
		t.Fatalf("%s: %v", expectFile(name, i), err)
	}
	return tr
}

// compareTranscripts fails on any difference in exit code, output or the
// requests sent.
func compareTranscripts(t *testing.T, what string, got, want transcript) {
	t.Helper()
	if got.Code != want.Code {
		t.Errorf("%s: exit code %d, want %d", what, got.Code, want.Code)
	}
	if got.Stdout != want.Stdout {
		t.Errorf("%s: stdout:\n%s\nwant:\n%s", what, got.Stdout, want.Stdout)
	}
	if got.Stderr != want.Stderr {
		t.Errorf("%s: stderr:\n%s\nwant:\n%s", what, got.Stderr, want.Stderr)
	}
	if g, w := got.requests(), want.requests(); g != w {
		t.Errorf("%s: requests:\n%s\nwant:\n%s", what, g, w)
	}
}

// TestGoldenSwanctl runs our swanctl over every fixture tree against
// charond and compares each step with what Debian's swanctl 5.9.8 did
// against charon 5.9.8.
func TestGoldenSwanctl(t *testing.T) {
	if *goldenRecord != "" {
		recordGolden(t, *goldenRecord)
		return
	}
	ours := filepath.Join(binDir, "swanctl")
	for name, steps := range goldenCases(t) {
		t.Run(name, func(t *testing.T) {
			d := startDaemon(t, "")
			dir := copyTree(t, filepath.Join(goldenDir, name, "conf"))
			for i, s := range steps {
				got := runThroughProxy(t, ours, d.URI, dir, s.expand(dir))
				compareTranscripts(t, strings.Join(s.args, " "), got, readExpected(t, name, i, dir))
			}
		})
	}
}

// TestGoldenDebianSwanctl runs Debian's swanctl over the same trees
// against charond: its requests and output must equal the recording too,
// so charond answers as charon does.
func TestGoldenDebianSwanctl(t *testing.T) {
	if _, err := os.Stat(debianSwanctl); err != nil {
		t.Fatalf("Debian's swanctl is needed (apt-get install strongswan-swanctl): %v", err)
	}
	for name, steps := range goldenCases(t) {
		t.Run(name, func(t *testing.T) {
			d := startDaemon(t, "")
			dir := copyTree(t, filepath.Join(goldenDir, name, "conf"))
			for i, s := range steps {
				if s.ours {
					continue
				}
				got := runThroughProxy(t, debianSwanctl, d.URI, dir, s.expand(dir))
				compareTranscripts(t, strings.Join(s.args, " "), got, readExpected(t, name, i, dir))
			}
		})
	}
}

// recordGolden writes the golden files from Debian's swanctl against the
// charon at uri, emptied before each case; "!" steps are recorded from our
// swanctl, which must leave the daemon as it was.
func recordGolden(t *testing.T, uri string) {
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "swanctl.conf"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, steps := range goldenCases(t) {
		reset := exec.Command(debianSwanctl, "--load-all", "--clear", "--noprompt",
			"--file", filepath.Join(empty, "swanctl.conf"), "--uri", uri)
		reset.Env = append(os.Environ(), "SWANCTL_DIR="+empty)
		if out, err := reset.CombinedOutput(); err != nil {
			t.Fatalf("emptying the daemon: %v\n%s", err, out)
		}
		dir := copyTree(t, filepath.Join(goldenDir, name, "conf"))
		if err := os.MkdirAll(filepath.Join(goldenDir, name, "expect"), 0o755); err != nil {
			t.Fatal(err)
		}
		for i, s := range steps {
			bin := debianSwanctl
			if s.ours {
				bin = filepath.Join(binDir, "swanctl")
			}
			tr := runThroughProxy(t, bin, uri, dir, s.expand(dir))
			text := strings.ReplaceAll(tr.String(), dir, "{dir}")
			if err := os.WriteFile(expectFile(name, i), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
