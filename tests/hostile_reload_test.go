package tests

import (
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTermDuringReload replaces strongswan.conf with a FIFO, so that the
// reload a SIGHUP starts stays blocked reading it for as long as the test
// holds the FIFO's write end open. SIGTERM must still stop charond; it
// used to wait for the reload, here forever.
func TestTermDuringReload(t *testing.T) {
	d := startHard(t, "charond { log_level = debug }\n", "", true)
	fifo := d.Conf + ".fifo"
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(fifo, d.Conf); err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	// A non-blocking open for writing succeeds once the reload has the
	// FIFO open for reading; from then on it waits for data or EOF.
	var w *os.File
	for range 400 {
		f, err := os.OpenFile(d.Conf, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err == nil {
			w = f
			break
		}
		if !errors.Is(err, syscall.ENXIO) {
			t.Fatal(err)
		}
		time.Sleep(25 * time.Millisecond)
	}
	if w == nil {
		t.Fatalf("the reload never opened the settings file; log:\n%s", d.log)
	}
	defer w.Close()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// a liveness bound, not a measure: the reload never ends by itself
	if err := d.exited(30 * time.Second); err != nil {
		t.Fatalf("charond exited with %v; log:\n%s", err, d.log)
	}
	log := d.log.String()
	if !strings.Contains(log, "signal received, shutting down") ||
		strings.Contains(log, "settings reloaded") {
		t.Errorf("want a shutdown with the reload still pending; log:\n%s", log)
	}
}
