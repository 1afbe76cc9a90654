package loadgen

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// Daemon is a charond started by Spawn for one run.
type Daemon struct {
	Socket string
	cmd    *exec.Cmd
	dir    string
	log    bytes.Buffer
	done   chan error
}

// Spawn starts the charond binary at bin with an empty strongswan.conf on a
// socket in a fresh folder, and waits for the socket.
func Spawn(bin string) (*Daemon, error) {
	dir, err := os.MkdirTemp("", "hard-viciload-")
	if err != nil {
		return nil, fmt.Errorf("loadgen: %w", err)
	}
	d := &Daemon{Socket: filepath.Join(dir, "charon.vici"), dir: dir, done: make(chan error, 1)}
	conf := filepath.Join(dir, "strongswan.conf")
	if err := os.WriteFile(conf, nil, 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("loadgen: %w", err)
	}
	d.cmd = exec.Command(bin, "--config", conf, "--uri", "unix://"+d.Socket)
	d.cmd.Stderr = &d.log
	if err := d.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("loadgen: starting %s: %w", bin, err)
	}
	go func() { d.done <- d.cmd.Wait() }()
	for range 200 {
		if _, err := os.Stat(d.Socket); err == nil {
			return d, nil
		}
		select {
		case err := <-d.done:
			os.RemoveAll(dir)
			return nil, fmt.Errorf("loadgen: charond exited: %v\n%s", err, d.log.String())
		case <-time.After(25 * time.Millisecond):
		}
	}
	d.Stop()
	return nil, fmt.Errorf("loadgen: charond made no socket in 5s")
}

// Stop sends SIGTERM and waits up to a minute for a clean exit. The error
// says what went wrong, with charond's log.
func (d *Daemon) Stop() error {
	defer os.RemoveAll(d.dir)
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-d.done:
		if err != nil {
			return fmt.Errorf("loadgen: charond exited with %v; log:\n%s", err, d.log.String())
		}
		return nil
	case <-time.After(time.Minute):
		d.cmd.Process.Kill()
		<-d.done
		return fmt.Errorf("loadgen: charond did not stop on SIGTERM; log:\n%s", d.log.String())
	}
}
