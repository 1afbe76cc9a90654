package pool

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/charond/charond/identity"
)

// The reference model: the passes of strongSwan's in-memory pool written
// as plainly as possible, against which Manager is checked.

type modelRec struct {
	off  uint32
	peer string
}

type modelEntry struct {
	id      string
	online  []modelRec
	offline []uint32
}

type modelPool struct {
	r       Range
	unused  uint32
	entries []*modelEntry
}

type model struct {
	order []string
	pools map[string]*modelPool
}

func (mp *modelPool) entry(id string) *modelEntry {
	for _, e := range mp.entries {
		if e.id == id {
			return e
		}
	}
	return nil
}

func (mp *modelPool) counts() (on, off int) {
	for _, e := range mp.entries {
		on += len(e.online)
		off += len(e.offline)
	}
	return on, off
}

func (m *model) fits(name string, req netip.Addr) *modelPool {
	mp := m.pools[name]
	if mp == nil || mp.r.Base.Is4() != req.Is4() {
		return nil
	}
	return mp
}

func (m *model) acquire(pools []string, id string, req netip.Addr, peer string) Grant {
	g := Grant{Identity: identity.Parse(id)}
	for _, n := range pools {
		mp := m.fits(n, req)
		if mp == nil {
			continue
		}
		e := mp.entry(id)
		if e == nil {
			continue
		}
		for _, r := range e.online {
			if r.peer == peer && (req.IsUnspecified() || mp.r.Addr(r.off) == req) {
				e.online = append(e.online, modelRec{r.off, peer})
				g.Addr, g.Pool, g.How = mp.r.Addr(r.off), n, ReassignedOnline
				return g
			}
		}
		if len(e.offline) > 0 {
			off := e.offline[0]
			e.offline = e.offline[1:]
			e.online = append(e.online, modelRec{off, peer})
			g.Addr, g.Pool, g.How = mp.r.Addr(off), n, ReassignedOffline
			return g
		}
	}
	add := func(mp *modelPool, off uint32) {
		e := mp.entry(id)
		if e == nil {
			e = &modelEntry{id: id}
			mp.entries = append(mp.entries, e)
		}
		e.online = append(e.online, modelRec{off, peer})
	}
	for _, n := range pools {
		if mp := m.fits(n, req); mp != nil && mp.unused < mp.r.Size {
			mp.unused++
			add(mp, mp.unused-1)
			g.Addr, g.Pool, g.How = mp.r.Addr(mp.unused-1), n, AssignedNew
			return g
		}
	}
	for _, n := range pools {
		mp := m.fits(n, req)
		if mp == nil {
			continue
		}
		for i, e := range mp.entries {
			if len(e.offline) == 0 {
				continue
			}
			off := e.offline[0]
			e.offline = e.offline[1:]
			if len(e.online) == 0 && len(e.offline) == 0 {
				mp.entries = slices.Delete(mp.entries, i, i+1)
			}
			add(mp, off)
			g.Addr, g.Pool, g.How, g.PrevOwner = mp.r.Addr(off), n, TookOver,
				identity.Parse(e.id)
			return g
		}
		g.Full = append(g.Full, n)
	}
	return g
}

func (m *model) release(pools []string, id string, a netip.Addr) (bool, bool) {
	for _, n := range pools {
		mp := m.pools[n]
		if mp == nil {
			continue
		}
		off, ok := mp.r.Offset(a)
		e := mp.entry(id)
		if !ok || e == nil {
			continue
		}
		at, count := -1, 0
		for i, r := range e.online {
			if r.off == off {
				count++
				if at < 0 {
					at = i
				}
			}
		}
		if at < 0 {
			continue
		}
		e.online = slices.Delete(e.online, at, at+1)
		if count == 1 {
			e.offline = append(e.offline, off)
		}
		return count == 1, true
	}
	return false, false
}

func (m *model) moveLast(name string) {
	i := slices.Index(m.order, name)
	m.order = append(slices.Delete(m.order, i, i+1), name)
}

func (m *model) load(name string, r Range) (Action, error) {
	mp := m.pools[name]
	if mp == nil {
		m.pools[name] = &modelPool{r: r}
		m.order = append(m.order, name)
		return Added, nil
	}
	m.moveLast(name)
	if mp.r == r {
		return Updated, nil
	}
	if on, _ := mp.counts(); on > 0 {
		return Refused, ErrOnlineLeases
	}
	m.pools[name] = &modelPool{r: r}
	return Replaced, nil
}

func (m *model) unload(name string) error {
	mp := m.pools[name]
	if mp == nil {
		return ErrNotFound
	}
	m.moveLast(name)
	if on, _ := mp.counts(); on > 0 {
		return ErrOnlineLeases
	}
	m.order = m.order[:len(m.order)-1]
	delete(m.pools, name)
	return nil
}

func (m *model) snapshot() []string {
	var out []string
	for _, n := range m.order {
		mp := m.pools[n]
		on, off := mp.counts()
		out = append(out, fmt.Sprintf("%s %v %d/%d", n, mp.r, on, off))
		for _, e := range mp.entries {
			for _, r := range e.online {
				out = append(out, fmt.Sprintf(" %s %s on", mp.r.Addr(r.off), identity.Parse(e.id)))
			}
			for _, o := range e.offline {
				out = append(out, fmt.Sprintf(" %s %s off", mp.r.Addr(o), identity.Parse(e.id)))
			}
		}
	}
	return out
}

func render(infos []Info) []string {
	var out []string
	for _, in := range infos {
		out = append(out, fmt.Sprintf("%s %v %d/%d", in.Name, in.Range, in.Online, in.Offline))
		for _, l := range in.Leases {
			st := "off"
			if l.Online {
				st = "on"
			}
			out = append(out, fmt.Sprintf(" %s %s %s", l.Addr, l.Identity, st))
		}
	}
	return out
}

// checkUnique fails if an address of a pool is leased to two identities.
func checkUnique(t *testing.T, infos []Info) {
	t.Helper()
	for _, in := range infos {
		owner := map[netip.Addr]identity.Identity{}
		for _, l := range in.Leases {
			if o, ok := owner[l.Addr]; ok && o != l.Identity {
				t.Fatalf("pool %s: %s held by %s and %s", in.Name, l.Addr, o, l.Identity)
			}
			owner[l.Addr] = l.Identity
		}
	}
}

func TestPropertyAgainstModel(t *testing.T) {
	ranges := map[string][]string{
		"a": {"10.1.0.0/30", "10.1.0.1-10.1.0.3"},
		"b": {"10.2.0.5", "10.2.0.0/29"},
		"c": {"fec3::/126", "fec3::8-fec3::a"},
	}
	ids := []string{"carol", "dave", "eve", "C=CH, CN=frank", "10.9.9.9"}
	peers := []string{"192.0.2.1:500", "192.0.2.1:4500", "192.0.2.2:4500"}
	for seed := uint64(0); seed < 150; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			m, ref := NewManager(), &model{pools: map[string]*modelPool{}}
			for step := 0; step < 300; step++ {
				name := []string{"a", "b", "c"}[rng.IntN(3)]
				r, _, _ := ParseAddrs(ranges[name][rng.IntN(2)])
				var op string
				switch k := rng.IntN(20); {
				case k < 9:
					op = "acquire"
					ps := []string{"a", "b", "c", "x"}
					rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
					ps = ps[:1+rng.IntN(4)]
					id, peer := ids[rng.IntN(len(ids))], peers[rng.IntN(len(peers))]
					req := netip.IPv4Unspecified()
					switch rng.IntN(4) {
					case 0:
						req = netip.IPv6Unspecified()
					case 1:
						req = r.Addr(uint32(rng.IntN(3)))
					}
					got := m.Acquire(ps, identity.Parse(id), req, netip.MustParseAddrPort(peer))
					want := ref.acquire(ps, id, req, peer)
					if fmt.Sprint(got) != fmt.Sprint(want) {
						t.Fatalf("step %d acquire %v %s %v %s:\n got %+v\nwant %+v",
							step, ps, id, req, peer, got, want)
					}
				case k < 16:
					op = "release"
					ps := []string{name}
					id := ids[rng.IntN(len(ids))]
					a := r.Addr(uint32(rng.IntN(int(r.Size))))
					rel, ok := m.Release(ps, identity.Parse(id), a)
					wOff, wOK := ref.release(ps, id, a)
					if ok != wOK || rel.WentOffline != wOff {
						t.Fatalf("step %d release %s %s: %v %v, want %v %v", step, id, a,
							rel.WentOffline, ok, wOff, wOK)
					}
				case k < 19:
					op = "load"
					before := m.Snapshot(Query{Name: name, ByName: true, Leases: true})
					res, err := m.Load(name, r, []Attribute{{Type: 25, Value: []byte{byte(k)}}})
					act, werr := ref.load(name, r)
					if res.Action != act || !errors.Is(err, werr) || (err == nil) != (werr == nil) {
						t.Fatalf("step %d load %s %v: %v %v, want %v %v", step, name, r,
							res.Action, err, act, werr)
					}
					after := m.Snapshot(Query{Name: name, ByName: true, Leases: true})
					if act == Updated || act == Refused {
						before[0].Name = after[0].Name
						if !slices.Equal(render(before), render(after)) {
							t.Fatalf("step %d: %v lost leases:\n%q\n%q", step, act,
								render(before), render(after))
						}
					}
				default:
					op = "unload"
					_, err := m.Unload(name)
					if werr := ref.unload(name); !errors.Is(err, werr) ||
						(err == nil) != (werr == nil) {
						t.Fatalf("step %d unload %s: %v, want %v", step, name, err, werr)
					}
				}
				snap := m.Snapshot(Query{Leases: true})
				checkUnique(t, snap)
				if got, want := render(snap), ref.snapshot(); !slices.Equal(got, want) {
					t.Fatalf("step %d after %s:\n got %q\nwant %q", step, op, got, want)
				}
			}
		})
	}
}
