package creds

import (
	"slices"
	"sync"
)

// Authority is a certification authority loaded with load-authority: its
// certificate and where to find revocation information.
type Authority struct {
	Name        string
	Cert        *Cert
	CRLURIs     []string
	OCSPURIs    []string
	CertURIBase string
}

// Authorities holds authorities in load order; loading a name again moves
// it to the end.
type Authorities struct {
	mu   sync.RWMutex
	list []*Authority // guarded by mu
}

// NewAuthorities returns an empty authority store.
func NewAuthorities() *Authorities { return &Authorities{} }

// Load adds a, replacing an authority of the same name, and reports
// whether it replaced one.
func (as *Authorities) Load(a *Authority) bool {
	as.mu.Lock()
	defer as.mu.Unlock()
	n := len(as.list)
	as.list = slices.DeleteFunc(as.list, func(o *Authority) bool { return o.Name == a.Name })
	as.list = append(as.list, a)
	return len(as.list) == n
}

// Unload removes the named authority and reports whether it existed.
func (as *Authorities) Unload(name string) bool {
	as.mu.Lock()
	defer as.mu.Unlock()
	n := len(as.list)
	as.list = slices.DeleteFunc(as.list, func(o *Authority) bool { return o.Name == name })
	return len(as.list) != n
}

// Snapshot returns the authorities in load order. They must not be
// modified.
func (as *Authorities) Snapshot() []*Authority {
	as.mu.RLock()
	defer as.mu.RUnlock()
	return slices.Clone(as.list)
}

// Names returns the authority names in load order.
func (as *Authorities) Names() []string {
	names := []string{}
	for _, a := range as.Snapshot() {
		names = append(names, a.Name)
	}
	return names
}
