package cli

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/charond/charond/vici"
)

// leaseReply is a get-pools reply with one pool of n online leases, built
// entry by entry as the daemon's encoder would see it.
func leaseReply(n int) *vici.Message {
	leases := vici.NewMessage()
	leases.Grow(n)
	for i := range n {
		l := vici.NewMessage().Set("address", fmt.Sprintf("10.%d.%d.%d", i>>16, i>>8&255, i&255)).
			Set("identity", "client-"+strconv.Itoa(i)).Set("status", "online")
		leases.Append(vici.Entry{Kind: vici.KindSection, Name: strconv.Itoa(i), Section: l})
	}
	pool := vici.NewMessage().Set("base", "10.0.0.0").Set("size", strconv.Itoa(n)).
		Set("online", strconv.Itoa(n)).Set("offline", "0")
	pool.Append(vici.Entry{Kind: vici.KindSection, Name: "leases", Section: leases})
	m := vici.NewMessage()
	m.Append(vici.Entry{Kind: vici.KindSection, Name: "big", Section: pool})
	return m
}

// TestListPoolsAllLeases checks that every one of 100,000 leases is
// printed, in order, each once.
func TestListPoolsAllLeases(t *testing.T) {
	const n = 100000
	var out bytes.Buffer
	writePools(&env{stdout: &out}, leaseReply(n))
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != n+1 {
		t.Fatalf("%d lines, want %d", len(lines), n+1)
	}
	for _, i := range []int{0, 1, 255, 65536, n - 1} {
		addr := fmt.Sprintf("10.%d.%d.%d", i>>16, i>>8&255, i&255)
		want := fmt.Sprintf("  %-30s %-8s '%s'", addr, "online", "client-"+strconv.Itoa(i))
		if lines[i+1] != want {
			t.Fatalf("lease %d: %q, want %q", i, lines[i+1], want)
		}
	}
}

// BenchmarkListPoolsLeases100k renders a pool with 100,000 leases; time
// grows linearly with the count (strongSwan's swanctl needs 2.3 s for
// 2,000).
func BenchmarkListPoolsLeases100k(b *testing.B) {
	m := leaseReply(100000)
	e := &env{stdout: io.Discard}
	b.ResetTimer()
	for range b.N {
		writePools(e, m)
	}
}
