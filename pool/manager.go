package pool

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sync"

	"github.com/charond/charond/identity"
)

// Errors of Load and Unload.
var (
	ErrNotFound     = errors.New("pool: not found")
	ErrOnlineLeases = errors.New("pool: has online leases")
)

// Manager owns the pool table and every lease. It is safe for concurrent
// use; all methods take its lock for their whole run, so every result is
// consistent.
type Manager struct {
	mu     sync.RWMutex
	order  []*pool          // guarded by mu; table order, most recently loaded last
	byName map[string]*pool // guarded by mu
}

// NewManager returns a manager without pools.
func NewManager() *Manager {
	return &Manager{byName: make(map[string]*pool)}
}

// pool is one address pool and its leases. Its fields are guarded by the
// manager's lock.
type pool struct {
	name  string
	r     Range
	attrs []Attribute

	unused  uint32 // offsets handed out at least once: 0..r.Size
	online  int    // online records over all entries, duplicates counted
	offline int    // offline offsets over all entries

	entries []entry // identities in order of their first lease here
	index   map[identity.Identity]int32
	dead    int // entries removed but not yet compacted away
	scan    int // entries before this index hold no offline lease
}

// entry holds one identity's leases in a pool: recs[:nOnline] are online
// records in acquisition order, recs[nOnline:] offline offsets in release
// order. A removed entry has nOnline -1.
type entry struct {
	id      identity.Identity
	nOnline int32
	recs    []rec
}

func (e *entry) removed() bool { return e.nOnline < 0 }

// rec is a lease: an offset from the pool base and, while online, a hash
// of the peer endpoint that acquired it.
type rec struct {
	off  uint32
	peer uint32
}

func newPool(name string, r Range, attrs []Attribute) *pool {
	return &pool{name: name, r: r, attrs: attrs,
		index: make(map[identity.Identity]int32)}
}

// Action tells what Load did.
type Action uint8

// Load outcomes.
const (
	Added    Action = iota + 1 // a new pool
	Updated                    // same range: leases kept, attributes replaced
	Replaced                   // range changed without online leases: offline leases dropped
	Refused                    // range changed with online leases: nothing changed
)

// LoadResult reports a Load: the action, the pool's range afterwards, and
// for Refused the number of online leases that blocked the change.
type LoadResult struct {
	Action Action
	Range  Range
	Online int
}

// Load adds the pool name or reloads it, as strongSwan does: the same
// range keeps every lease and replaces the attributes, a changed range
// replaces the pool if none of its leases is online, and is refused
// otherwise (the error wraps ErrOnlineLeases). In every case the pool moves
// to the end of the table order. attrs is kept and must not be modified.
func (m *Manager) Load(name string, r Range, attrs []Attribute) (LoadResult, error) {
	if r.Size == 0 || !r.Base.IsValid() {
		return LoadResult{}, fmt.Errorf("%w: empty range %s", ErrInvalidAddrs, r)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	old := m.byName[name]
	if old == nil {
		m.insert(newPool(name, r, attrs))
		return LoadResult{Action: Added, Range: r}, nil
	}
	m.moveLast(old)
	switch {
	case old.r == r:
		old.attrs = attrs
		return LoadResult{Action: Updated, Range: r}, nil
	case old.online > 0:
		return LoadResult{Action: Refused, Range: old.r, Online: old.online},
			fmt.Errorf("%w: %s has %d", ErrOnlineLeases, name, old.online)
	}
	p := newPool(name, r, attrs)
	m.order[len(m.order)-1] = p
	m.byName[name] = p
	return LoadResult{Action: Replaced, Range: r}, nil
}

// Unload removes the pool name and its offline leases. A pool with online
// leases stays (moved to the end of the order) and the error wraps
// ErrOnlineLeases; online is their number then.
func (m *Manager) Unload(name string) (online int, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.byName[name]
	if p == nil {
		return 0, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	m.moveLast(p)
	if p.online > 0 {
		return p.online, fmt.Errorf("%w: %s has %d", ErrOnlineLeases, name, p.online)
	}
	m.order = m.order[:len(m.order)-1]
	delete(m.byName, name)
	return 0, nil
}

func (m *Manager) insert(p *pool) {
	m.order = append(m.order, p)
	m.byName[p.name] = p
}

func (m *Manager) moveLast(p *pool) {
	i := slices.Index(m.order, p)
	copy(m.order[i:], m.order[i+1:])
	m.order[len(m.order)-1] = p
}

// Info is a snapshot of one pool.
type Info struct {
	Name    string
	Range   Range
	Online  int     // online lease records, make-before-break duplicates counted
	Offline int     // offline leases
	Leases  []Lease // only when asked for
}

// Lease is one lease in a snapshot.
type Lease struct {
	Addr     netip.Addr
	Identity identity.Identity
	Online   bool
}

// Query selects what Snapshot returns.
type Query struct {
	Name   string // with ByName, only the pool of this exact name
	ByName bool
	Leases bool // include the leases
}

// Snapshot returns the pools in table order. Leases are listed by identity
// in the order identities first got a lease from the pool, and for each
// identity its online records (duplicates included) before its offline
// leases in release order.
func (m *Manager) Snapshot(q Query) []Info {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []Info
	for _, p := range m.order {
		if q.ByName && p.name != q.Name {
			continue
		}
		in := Info{Name: p.name, Range: p.r, Online: p.online, Offline: p.offline}
		if q.Leases {
			in.Leases = p.leases()
		}
		out = append(out, in)
	}
	return out
}

func (p *pool) leases() []Lease {
	out := make([]Lease, 0, p.online+p.offline)
	for i := range p.entries {
		e := &p.entries[i]
		if e.removed() {
			continue
		}
		for j, r := range e.recs {
			out = append(out, Lease{Addr: p.r.Addr(r.off), Identity: e.id,
				Online: j < int(e.nOnline)})
		}
	}
	return out
}

// Attributes returns the attributes to send with the assigned vips: those
// of each named pool, in the given order, that hands out one of vips. The
// returned attributes are shared and must not be modified.
func (m *Manager) Attributes(pools []string, vips []netip.Addr) []Attribute {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []Attribute
	for _, name := range pools {
		p := m.byName[name]
		if p == nil {
			continue
		}
		if slices.ContainsFunc(vips, p.r.Contains) {
			out = append(out, p.attrs...)
		}
	}
	return out
}
