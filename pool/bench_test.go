package pool

import (
	"fmt"
	"net/netip"
	"runtime"
	"testing"

	"github.com/charond/charond/identity"
)

func benchIDs(n int) []identity.Identity {
	ids := make([]identity.Identity, n)
	for i := range ids {
		ids[i] = identity.Parse(fmt.Sprintf("user%06d@strongswan.org", i))
	}
	return ids
}

// BenchmarkAcquireRelease measures one acquire and one release of a lease
// by 1,000 identities taking turns (the reconnect path: each acquire finds
// the identity's offline lease).
func BenchmarkAcquireRelease(b *testing.B) {
	m := NewManager()
	mustLoad(b, m, "p", "10.0.0.0/16")
	ids := benchIDs(1000)
	pools := []string{"p"}
	peer := netip.MustParseAddrPort("192.0.2.1:4500")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		id := ids[i%len(ids)]
		g := m.Acquire(pools, id, any4, peer)
		if _, ok := m.Release(pools, id, g.Addr); !ok {
			b.Fatal("release failed")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
}

// BenchmarkAcquireNew measures handing out never-used addresses.
func BenchmarkAcquireNew(b *testing.B) {
	ids := benchIDs(1 << 16)
	pools := []string{"p"}
	peer := netip.MustParseAddrPort("192.0.2.1:4500")
	var m *Manager
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%len(ids) == 0 {
			b.StopTimer()
			m = NewManager()
			mustLoad(b, m, "p", "10.0.0.0/8")
			b.StartTimer()
		}
		if g := m.Acquire(pools, ids[i%len(ids)], any4, peer); !g.Addr.IsValid() {
			b.Fatal("pool full")
		}
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkBytesPerLease reports the heap a lease costs: 100,000
// identities with one lease each, half of them offline, counting the
// manager's interned copies of the identities.
func BenchmarkBytesPerLease(b *testing.B) {
	const n = 100_000
	pools := []string{"p"}
	peer := netip.MustParseAddrPort("192.0.2.1:4500")
	var perLease float64
	for b.Loop() {
		b.StopTimer()
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("user%06d@strongswan.org", i)
		}
		before := heapInUse()
		m := NewManager()
		mustLoad(b, m, "p", "10.0.0.0/8")
		b.StartTimer()
		for i, s := range names {
			id := identity.Parse(s)
			g := m.Acquire(pools, id, any4, peer)
			if i%2 == 1 {
				m.Release(pools, id, g.Addr)
			}
		}
		b.StopTimer()
		perLease = float64(heapInUse()-before) / n
		runtime.KeepAlive(m)
		runtime.KeepAlive(names)
		b.StartTimer()
	}
	b.ReportMetric(perLease, "bytes/lease")
}

// BenchmarkEmptyPool reports the heap an empty pool costs by its range:
// it does not depend on the number of addresses.
func BenchmarkEmptyPool(b *testing.B) {
	for _, addrs := range []string{"10.0.0.0/24", "10.0.0.0/8", "fec0::/97", "fec0::/64"} {
		b.Run(addrs, func(b *testing.B) {
			r, _, err := ParseAddrs(addrs)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				m := NewManager()
				if _, err := m.Load("p", r, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestEmptyPoolSizeIndependent pins the bench's claim: loading a /8 or an
// IPv6 /97 allocates no more than loading a /24.
func TestEmptyPoolSizeIndependent(t *testing.T) {
	cost := func(addrs string) float64 {
		r, _, err := ParseAddrs(addrs)
		if err != nil {
			t.Fatal(err)
		}
		m := NewManager()
		i := 0
		return testing.AllocsPerRun(100, func() {
			i++
			if _, err := m.Load(fmt.Sprint(i), r, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
	base := cost("10.0.0.0/24")
	for _, addrs := range []string{"10.0.0.0/8", "fec0::/97"} {
		if got := cost(addrs); got > base {
			t.Errorf("%s: %v allocations, /24: %v", addrs, got, base)
		}
	}
}
