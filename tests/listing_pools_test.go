package tests

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/charond/charond/vici"
)

// leaseAddr is the address of lease i of the test pool.
func leaseAddr(i int) string {
	return fmt.Sprintf("10.%d.%d.%d", i>>16, i>>8&255, i&255)
}

// servePools runs a VICI server of our vici package whose get-pools
// answers with one pool of n leases, half of them offline. Its reply
// limit is raised: 100,000 leases take some 7 MB, far beyond the 512 KiB
// a daemon may send.
func servePools(t *testing.T, n int) string {
	t.Helper()
	s := vici.NewServer(nil, vici.Limits{MaxReply: 64 << 20, QueueBytes: 64 << 20})
	s.Handle("get-pools", func(_ context.Context, r *vici.Request) *vici.Message {
		pool := vici.NewMessage().Set("base", "10.0.0.0").Set("size", strconv.Itoa(n)).
			Set("online", strconv.Itoa(n-n/2)).Set("offline", strconv.Itoa(n/2))
		if v, _ := r.Message.Get("leases"); v == "yes" {
			leases := pool.AddSection("leases")
			leases.Grow(n)
			for i := range n {
				status := "online"
				if i%2 == 1 {
					status = "offline"
				}
				leases.AddSection(strconv.Itoa(i)).Set("address", leaseAddr(i)).
					Set("identity", "client-"+strconv.Itoa(i)+"@lst.test").
					Set("status", status)
			}
		}
		m := vici.NewMessage()
		m.SetSection("big", pool)
		return m
	})
	path := filepath.Join(t.TempDir(), "pools.vici")
	l, err := vici.Listen("unix://"+path, vici.ListenOptions{UID: -1, GID: -1})
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	return "unix://" + path
}

// TestListing100kLeases runs the built swanctl against a server holding a
// pool of 100,000 leases and checks that every lease is printed once, in
// the daemon's order, in swanctl's layout.
func TestListing100kLeases(t *testing.T) {
	const n = 100000
	uri := servePools(t, n)
	r := swanctl(t, "", "--list-pools", "--leases", "--uri", uri)
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.Code, r.Stderr)
	}
	got := strings.Split(strings.TrimSuffix(r.Stdout, "\n"), "\n")
	if len(got) != n+1 {
		t.Fatalf("%d lines, want %d", len(got), n+1)
	}
	if want := poolLine(n); got[0]+"\n" != want {
		t.Fatalf("pool line %q, want %q", got[0], want)
	}
	for i := range n {
		status := "online"
		if i%2 == 1 {
			status = "offline"
		}
		want := fmt.Sprintf("  %-30s %-8s 'client-%d@lst.test'", leaseAddr(i), status, i)
		if got[i+1] != want {
			t.Fatalf("lease %d: %q, want %q", i, got[i+1], want)
		}
	}

	// Without --leases only the pool line comes back.
	r = swanctl(t, "", "--list-pools", "--uri", uri)
	if r.Stdout != poolLine(n) {
		t.Errorf("without leases: %q", r.Stdout)
	}
}

// poolLine is swanctl's line for the test pool of n leases.
func poolLine(n int) string {
	return fmt.Sprintf("%-20s %-30s %16s\n", "big", "10.0.0.0",
		fmt.Sprintf("%d / %d / %d", n-n/2, n/2, n))
}
