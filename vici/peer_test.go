package vici

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets the test binary act as a client of another user for
// TestUserShare: with HOLD_SOCKET set it dials that many connections,
// asks each for an echo and prints how many were answered.
func TestMain(m *testing.M) {
	if path := os.Getenv("HOLD_SOCKET"); path != "" {
		n, _ := strconv.Atoi(os.Getenv("HOLD_COUNT"))
		answered := 0
		for range n {
			if echoOnce(path) {
				answered++
			}
		}
		fmt.Println(answered)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// echoOnce dials and asks for an echo, keeping the connection open.
func echoOnce(path string) bool {
	c, err := net.Dial("unix", path)
	if err != nil {
		return false
	}
	f, _ := (&Packet{Type: CmdRequest, Name: "echo", Message: NewMessage()}).AppendFrame(nil)
	if _, err := c.Write(f); err != nil {
		return false
	}
	_, err = ReadFrame(c, MaxFrameSize)
	return err == nil
}

// A user other than root holds at most three quarters of the places, so
// idle connections of one user in the socket's group leave room for others.
func TestUserShare(t *testing.T) {
	if os.Getuid() != 0 {
		t.Fatal("this test needs root, to connect as another user (CI runs as root)")
	}
	_, path, logs := startLoggedMode(t, Limits{MaxClients: 4}, 0o666)
	for _, d := range []string{filepath.Dir(path), filepath.Dir(filepath.Dir(path))} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The test binary's own folder is private: run a copy the user can reach.
	bin := filepath.Join(filepath.Dir(path), "vici.test")
	data, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = []string{"HOLD_SOCKET=" + path, "HOLD_COUNT=4"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534,
		Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("client as user 65534: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "3" {
		t.Fatalf("user 65534 was answered on %s of 4 connections, want 3", got)
	}
	logs.waitFor(t, "uid=65534")
	served(t, path) // root still gets in
}
