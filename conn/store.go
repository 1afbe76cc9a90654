package conn

import (
	"reflect"
	"sync"
)

// Change tells what loading a configuration did to the store.
type Change int

// Load outcomes, as the daemon logs them.
const (
	// Added: no connection of that name existed.
	Added Change = iota
	// Updated: the IKE and auth settings are unchanged, only the children
	// were replaced.
	Updated
	// Replaced: the connection was replaced as a whole.
	Replaced
)

// String returns added, updated or replaced.
func (c Change) String() string {
	return [...]string{"added", "updated", "replaced"}[c]
}

// Store keeps the loaded connections in load order. A connection loaded
// again under its name keeps its place; one unloaded and loaded again goes
// to the end, as in strongSwan. Stored configurations are shared with
// readers and must not be modified.
//
// Unloading leaves a hole in the order that is squeezed out once holes
// make up half of it, so unloading every connection one by one (swanctl
// reloading a file without them) costs linear time, not quadratic.
type Store struct {
	mu     sync.RWMutex
	order  []*Config      // guarded by mu; nil marks an unloaded place
	byName map[string]int // guarded by mu; index into order
	holes  int            // guarded by mu
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{byName: map[string]int{}} }

// Load adds c, or puts it in the place of the connection of the same name.
func (s *Store) Load(c *Config) Change {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.byName[c.Name]
	if !ok {
		s.byName[c.Name] = len(s.order)
		s.order = append(s.order, c)
		return Added
	}
	old := s.order[i]
	s.order[i] = c
	if sameIKE(old, c) {
		return Updated
	}
	return Replaced
}

// sameIKE compares two configurations without their children.
func sameIKE(a, b *Config) bool {
	x, y := *a, *b
	x.Children, y.Children = nil, nil
	return reflect.DeepEqual(x, y)
}

// Unload removes the named connection and reports whether it existed.
func (s *Store) Unload(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.byName[name]
	if !ok {
		return false
	}
	delete(s.byName, name)
	s.order[i] = nil
	s.holes++
	if s.holes*2 > len(s.order) {
		s.compact()
	}
	return true
}

// compact squeezes the holes out of order and renumbers byName.
func (s *Store) compact() {
	live := s.order[:0]
	for _, c := range s.order {
		if c != nil {
			s.byName[c.Name] = len(live)
			live = append(live, c)
		}
	}
	clear(s.order[len(live):])
	s.order, s.holes = live, 0
}

// Get returns the named connection.
func (s *Store) Get(name string) (*Config, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.byName[name]
	if !ok {
		return nil, false
	}
	return s.order[i], true
}

// Names returns the connection names in load order.
func (s *Store) Names() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.order)-s.holes)
	for _, c := range s.order {
		if c != nil {
			out = append(out, c.Name)
		}
	}
	return out
}

// Snapshot returns the connections in load order.
func (s *Store) Snapshot() []*Config {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*Config, 0, len(s.order)-s.holes)
	for _, c := range s.order {
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}
