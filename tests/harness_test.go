package tests

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	govici "github.com/strongswan/govici/vici"
)

// binDir holds the binaries built once for all tests.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "charond-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	for _, prog := range []string{"charond", "swanctl"} {
		cmd := exec.Command("go", "build", "-race", "-o", filepath.Join(dir, prog), "../"+prog)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n", prog, err)
			os.RemoveAll(dir)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// daemon is a charond started for one test.
type daemon struct {
	t    *testing.T
	cmd  *exec.Cmd
	Path string // socket path
	URI  string
	log  *bytes.Buffer
}

// startDaemon runs charond with an empty strongswan.conf on a fresh socket.
func startDaemon(t *testing.T, extraConf string) *daemon {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "strongswan.conf")
	if err := os.WriteFile(conf, []byte(extraConf), 0o644); err != nil {
		t.Fatal(err)
	}
	d := &daemon{t: t, Path: filepath.Join(dir, "charon.vici"), log: &bytes.Buffer{}}
	d.URI = "unix://" + d.Path
	d.cmd = exec.Command(filepath.Join(binDir, "charond"), "--config", conf, "--uri", d.URI,
		"--log-level", "debug")
	d.cmd.Stderr = d.log
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.stop)
	for range 100 {
		if _, err := os.Stat(d.Path); err == nil {
			return d
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("charond did not create its socket; log:\n%s", d.log)
	return nil
}

func (d *daemon) stop() {
	if d.cmd.ProcessState != nil {
		return
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- d.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			d.t.Errorf("charond exited with %v; log:\n%s", err, d.log)
		}
	case <-time.After(10 * time.Second):
		d.cmd.Process.Kill()
		d.t.Errorf("charond did not stop on SIGTERM; log:\n%s", d.log)
	}
	if d.t.Failed() {
		d.t.Logf("charond log:\n%s", d.log)
	}
}

// result is what one swanctl run printed.
type result struct {
	Stdout, Stderr string
	Code           int
}

// swanctl runs the built swanctl with args, in dir (if not empty).
func swanctl(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(filepath.Join(binDir, "swanctl"), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "STRONGSWAN_CONF=/dev/null")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{Stdout: out.String(), Stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.Code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("swanctl %v: %v", args, err)
	}
	return r
}

// session opens a govici session to the daemon.
func (d *daemon) session(t *testing.T) *govici.Session {
	t.Helper()
	s, err := govici.NewSession(govici.WithSocketPath(d.Path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func callCtx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// copyExample copies examples/swanctl.conf into a fresh folder, so that
// tests can edit it and swanctl's base directory is predictable.
func copyExample(t *testing.T) (dir, file string) {
	t.Helper()
	data, err := os.ReadFile("../examples/swanctl.conf")
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	file = filepath.Join(dir, "swanctl.conf")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, file
}

// lines drops swanctl's notes about missing credential folders.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if strings.HasPrefix(l, "opening directory ") || l == "" {
			continue
		}
		out = append(out, l)
	}
	return out
}

func expectLines(t *testing.T, what, got string, want ...string) {
	t.Helper()
	g := lines(got)
	if strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s:\n%s\nwant:\n%s", what, strings.Join(g, "\n"), strings.Join(want, "\n"))
	}
}
