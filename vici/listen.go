package vici

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// DefaultURI is where charon, swanctl and govici look for the socket.
const DefaultURI = "unix:///var/run/charon.vici"

// ParseURI splits a strongSwan stream URI (unix:///path, tcp://host:port)
// into a network and an address for the net package.
func ParseURI(uri string) (network, addr string, err error) {
	switch {
	case strings.HasPrefix(uri, "unix://"):
		addr = strings.TrimPrefix(uri, "unix://")
		if addr == "" {
			return "", "", fmt.Errorf("vici: URI %q has no socket path", uri)
		}
		return "unix", addr, nil
	case strings.HasPrefix(uri, "tcp://"):
		addr = strings.TrimPrefix(uri, "tcp://")
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return "", "", fmt.Errorf("vici: URI %q: %w", uri, err)
		}
		return "tcp", addr, nil
	}
	return "", "", fmt.Errorf("vici: unsupported URI %q (want unix:// or tcp://)", uri)
}

// ListenOptions control how Listen creates its socket.
type ListenOptions struct {
	// UID and GID own a unix socket when not -1 (chown needs privileges).
	UID, GID int
	// Mode of a unix socket; zero means 0660.
	Mode os.FileMode
	// AllowRemoteTCP permits tcp:// on addresses other than loopback. There
	// is no authentication in VICI, so it is off unless asked for.
	AllowRemoteTCP bool
}

// ErrInUse is returned when a live daemon already serves the socket path.
var ErrInUse = errors.New("vici: socket in use by a running daemon")

// Listen opens the listener for a URI. A unix socket file left behind by a
// crashed daemon is replaced; one that still answers is left alone and
// ErrInUse returned.
func Listen(uri string, opts ListenOptions) (net.Listener, error) {
	network, addr, err := ParseURI(uri)
	if err != nil {
		return nil, err
	}
	if network == "tcp" {
		return listenTCP(addr, opts)
	}
	if err := removeStale(addr); err != nil {
		return nil, err
	}
	mode := opts.Mode
	if mode == 0 {
		mode = 0o660
	}
	// Bind under a umask that already gives the final mode, so the socket
	// is never reachable with wider permissions, then chmod to be exact.
	old := syscall.Umask(0o777 &^ int(mode.Perm()))
	l, err := net.Listen("unix", addr)
	syscall.Umask(old)
	if err != nil {
		return nil, fmt.Errorf("vici: listen on %s: %w", addr, err)
	}
	if err := os.Chmod(addr, mode.Perm()); err != nil {
		l.Close()
		return nil, fmt.Errorf("vici: %w", err)
	}
	if opts.UID != -1 || opts.GID != -1 {
		if err := os.Chown(addr, opts.UID, opts.GID); err != nil {
			l.Close()
			return nil, fmt.Errorf("vici: %w", err)
		}
	}
	return l, nil
}

func listenTCP(addr string, opts ListenOptions) (net.Listener, error) {
	host, _, _ := net.SplitHostPort(addr)
	if !opts.AllowRemoteTCP && !isLoopback(host) {
		return nil, fmt.Errorf("vici: refusing tcp://%s: not a loopback address "+
			"(VICI has no authentication)", addr)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("vici: %w", err)
	}
	return l, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// removeStale deletes a socket file nobody answers on.
func removeStale(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("vici: %w", err)
	}
	if fi.Mode()&os.ModeSocket == 0 {
		return fmt.Errorf("vici: %s exists and is not a socket", path)
	}
	conn, err := net.DialTimeout("unix", path, time.Second)
	if err == nil {
		conn.Close()
		return fmt.Errorf("%w: %s", ErrInUse, path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("vici: removing stale socket: %w", err)
	}
	return nil
}

// Backlog returns the listen backlog the kernel grants, which Go's net
// package requests in full: net.core.somaxconn. It returns 0 when unknown.
func Backlog() int {
	b, err := os.ReadFile("/proc/sys/net/core/somaxconn")
	if err != nil {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0
	}
	return n
}

// RaiseFileLimit raises the soft limit on open files to the hard limit, as
// every client costs a descriptor. It returns the limits before and after.
func RaiseFileLimit() (before, after uint64, err error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, 0, fmt.Errorf("vici: reading file limit: %w", err)
	}
	before = rl.Cur
	if rl.Cur >= rl.Max {
		return before, rl.Cur, nil
	}
	rl.Cur = rl.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return before, before, fmt.Errorf("vici: raising file limit: %w", err)
	}
	return before, rl.Cur, nil
}
