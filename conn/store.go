package conn

import (
	"reflect"
	"slices"
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
type Store struct {
	mu     sync.RWMutex
	order  []string           // guarded by mu
	byName map[string]*Config // guarded by mu
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{byName: map[string]*Config{}} }

// Load adds c, or puts it in the place of the connection of the same name.
func (s *Store) Load(c *Config) Change {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.byName[c.Name]
	s.byName[c.Name] = c
	switch {
	case !ok:
		s.order = append(s.order, c.Name)
		return Added
	case sameIKE(old, c):
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
	if _, ok := s.byName[name]; !ok {
		return false
	}
	delete(s.byName, name)
	s.order = slices.DeleteFunc(s.order, func(n string) bool { return n == name })
	return true
}

// Get returns the named connection.
func (s *Store) Get(name string) (*Config, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.byName[name]
	return c, ok
}

// Names returns the connection names in load order.
func (s *Store) Names() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.order)
}

// Snapshot returns the connections in load order.
func (s *Store) Snapshot() []*Config {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*Config, len(s.order))
	for i, n := range s.order {
		out[i] = s.byName[n]
	}
	return out
}
