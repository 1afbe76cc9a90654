package pool

import (
	"fmt"
	"net/netip"

	"github.com/charond/charond/identity"
)

// How tells how Acquire found an address.
type How uint8

// Acquire outcomes, one per pass of the search.
const (
	NotAssigned       How = iota // every pool is full, or no pool fits
	ReassignedOnline             // the identity's online lease from the same endpoint
	ReassignedOffline            // the identity's own offline lease
	AssignedNew                  // a never-used address
	TookOver                     // another identity's offline lease
)

// Grant is the result of Acquire.
type Grant struct {
	Addr netip.Addr // invalid for NotAssigned
	Pool string     // the pool that gave Addr
	How  How
	// Identity is the requester and PrevOwner the identity whose offline
	// lease was taken over (TookOver only).
	Identity  identity.Identity
	PrevOwner identity.Identity
	// Full lists the pools found full in the last pass, in search order.
	Full []string
}

// Notes returns the lines strongSwan logs for this acquisition, in order.
func (g Grant) Notes() []string {
	var out []string
	for _, name := range g.Full {
		out = append(out, fmt.Sprintf("pool '%s' is full, unable to assign address", name))
	}
	switch g.How {
	case ReassignedOnline:
		out = append(out, fmt.Sprintf("reassigning online lease to '%s'", g.Identity))
	case ReassignedOffline:
		out = append(out, fmt.Sprintf("reassigning offline lease to '%s'", g.Identity))
	case AssignedNew:
		out = append(out, fmt.Sprintf("assigning new lease to '%s'", g.Identity))
	case TookOver:
		out = append(out, fmt.Sprintf("reassigning existing offline lease by '%s' to '%s'",
			g.PrevOwner, g.Identity))
	}
	return out
}

// peerHash condenses an endpoint into 32 bits (FNV-1a over address and
// port); it only tells make-before-break reauthentication from the same
// endpoint apart from other sessions of one identity.
func peerHash(p netip.AddrPort) uint32 {
	b := p.Addr().As16()
	h := uint32(2166136261)
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	port := p.Port()
	h = (h ^ uint32(port>>8)) * 16777619
	return (h ^ uint32(port&0xff)) * 16777619
}

// Acquire finds an address for id in the named pools, trying them in order
// in each of three passes: the identity's existing lease (its online lease
// acquired from the same peer endpoint, for make-before-break, then its
// oldest offline lease), a never-used address, and the oldest offline lease
// of another identity. requested is the any-address of the wanted family
// or a specific address, which is honoured only to match an online lease.
// Pools of the other family and unknown names are skipped.
func (m *Manager) Acquire(pools []string, id identity.Identity, requested netip.Addr,
	peer netip.AddrPort) Grant {
	ph := peerHash(peer)
	m.mu.Lock()
	defer m.mu.Unlock()
	g := Grant{Identity: id}
	for _, name := range pools {
		p := m.byName[name]
		if p == nil || p.r.Base.Is4() != requested.Is4() {
			continue
		}
		if off, how, ok := p.existing(id, requested, ph); ok {
			g.Addr, g.Pool, g.How = p.r.Addr(off), name, how
			return g
		}
	}
	for _, name := range pools {
		p := m.byName[name]
		if p == nil || p.r.Base.Is4() != requested.Is4() || p.unused >= p.r.Size {
			continue
		}
		off := p.unused
		p.unused++
		p.addOnline(m.entryFor(p, id), rec{off: off, peer: ph})
		g.Addr, g.Pool, g.How = p.r.Addr(off), name, AssignedNew
		return g
	}
	for _, name := range pools {
		p := m.byName[name]
		if p == nil || p.r.Base.Is4() != requested.Is4() {
			continue
		}
		if off, prev, ok := p.takeOver(); ok {
			p.addOnline(m.entryFor(p, id), rec{off: off, peer: ph})
			g.Addr, g.Pool, g.How, g.PrevOwner = p.r.Addr(off), name, TookOver, prev
			return g
		}
		g.Full = append(g.Full, name)
	}
	return g
}

// existing is the first pass in one pool.
func (p *pool) existing(id identity.Identity, requested netip.Addr,
	ph uint32) (uint32, How, bool) {
	i, ok := p.index[id]
	if !ok {
		return 0, 0, false
	}
	e := &p.entries[i]
	anyAddr := requested.IsUnspecified()
	for _, r := range e.recs[:e.nOnline] {
		if r.peer == ph && (anyAddr || p.r.Addr(r.off) == requested) {
			p.addOnline(i, rec{off: r.off, peer: ph})
			return r.off, ReassignedOnline, true
		}
	}
	if len(e.recs) > int(e.nOnline) {
		// The oldest offline lease sits right after the online records,
		// so it becomes the newest online one where it is.
		e.recs[e.nOnline].peer = ph
		e.nOnline++
		p.offline--
		p.online++
		return e.recs[e.nOnline-1].off, ReassignedOffline, true
	}
	return 0, 0, false
}

// takeOver removes the oldest offline lease of the first identity that
// has one, dropping that identity's entry if it holds nothing else.
func (p *pool) takeOver() (uint32, identity.Identity, bool) {
	if p.offline == 0 {
		return 0, identity.Identity{}, false
	}
	for ; p.scan < len(p.entries); p.scan++ {
		e := &p.entries[p.scan]
		if e.removed() || len(e.recs) == int(e.nOnline) {
			continue
		}
		off := e.recs[e.nOnline].off
		e.recs = append(e.recs[:e.nOnline], e.recs[e.nOnline+1:]...)
		p.offline--
		prev := e.id
		if len(e.recs) == 0 {
			p.remove(p.scan)
		}
		return off, prev, true
	}
	panic("pool: offline counter out of step with entries")
}

// entryFor returns the index of id's entry in p, creating it at the end.
// A new entry shares the encoding another pool already holds for id, or
// keeps a private copy: each identity is stored once, whatever buffers the
// caller's values point into.
func (m *Manager) entryFor(p *pool, id identity.Identity) int32 {
	if i, ok := p.index[id]; ok {
		return i
	}
	stored, found := id, false
	for _, q := range m.order {
		if j, ok := q.index[id]; ok && q != p {
			stored, found = q.entries[j].id, true
			break
		}
	}
	if !found {
		stored = id.Clone()
	}
	i := int32(len(p.entries))
	p.entries = append(p.entries, entry{id: stored})
	p.index[stored] = i
	return i
}

// addOnline appends an online record to entry i.
func (p *pool) addOnline(i int32, r rec) {
	e := &p.entries[i]
	e.recs = append(e.recs, rec{})
	copy(e.recs[e.nOnline+1:], e.recs[e.nOnline:])
	e.recs[e.nOnline] = r
	e.nOnline++
	p.online++
}

// remove drops entry i, leaving a hole that compaction reclaims later so
// that removal stays cheap while indexes stay stable.
func (p *pool) remove(i int) {
	e := &p.entries[i]
	delete(p.index, e.id)
	*e = entry{nOnline: -1}
	p.dead++
	if p.dead > 32 && p.dead*2 > len(p.entries) {
		p.compact()
	}
}

func (p *pool) compact() {
	n := 0
	for _, e := range p.entries {
		if e.removed() {
			continue
		}
		p.entries[n] = e
		p.index[e.id] = int32(n)
		n++
	}
	clear(p.entries[n:])
	p.entries = p.entries[:n]
	p.dead, p.scan = 0, 0
}

// Release is the result of a successful Release call.
type Release struct {
	Pool string
	// WentOffline is false while another online record of the same
	// address remains (make-before-break).
	WentOffline bool
	Addr        netip.Addr
	Identity    identity.Identity
}

// Note returns the line strongSwan logs for the release, or "".
func (r Release) Note() string {
	if !r.WentOffline {
		return ""
	}
	return fmt.Sprintf("lease %s by '%s' went offline", r.Addr, r.Identity)
}

// Release gives back one online record of addr held by id, in the first of
// the named pools that has one. The endpoint plays no part. ok is false if
// no pool had such a lease.
func (m *Manager) Release(pools []string, id identity.Identity, addr netip.Addr) (Release, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, name := range pools {
		p := m.byName[name]
		if p == nil {
			continue
		}
		off, ok := p.r.Offset(addr)
		if !ok {
			continue
		}
		i, ok := p.index[id]
		if !ok {
			continue
		}
		if gone, ok := p.release(int(i), off); ok {
			return Release{Pool: name, WentOffline: gone, Addr: addr, Identity: id}, true
		}
	}
	return Release{}, false
}

func (p *pool) release(i int, off uint32) (wentOffline, ok bool) {
	e := &p.entries[i]
	online := e.recs[:e.nOnline]
	at := -1
	for j, r := range online {
		if r.off == off {
			if at >= 0 {
				wentOffline = false
				break
			}
			at, wentOffline = j, true
		}
	}
	if at < 0 {
		return false, false
	}
	e.recs = append(e.recs[:at], e.recs[at+1:]...)
	e.nOnline--
	p.online--
	if wentOffline {
		e.recs = append(e.recs, rec{off: off})
		p.offline++
		p.scan = min(p.scan, i)
	}
	return wentOffline, true
}
