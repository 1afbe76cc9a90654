package creds

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Type is the kind of a shared secret.
type Type string

// Shared secret types, as load-shared names them.
const (
	IKE   Type = "ike"
	EAP   Type = "eap"
	XAuth Type = "xauth"
	NTLM  Type = "ntlm"
	PPK   Type = "ppk"
)

// ErrType is returned by ParseType for an unknown type name.
var ErrType = errors.New("creds: invalid shared key type")

// ParseType reads a type name case-insensitively.
func ParseType(s string) (Type, error) {
	t := Type(strings.ToLower(s))
	switch t {
	case IKE, EAP, XAuth, NTLM, PPK:
		return t, nil
	}
	return "", fmt.Errorf("%w: %s", ErrType, s)
}

// Any is the owner that matches every identity.
const Any = "%any"

// Shared is one shared secret.
type Shared struct {
	// ID is the unique id it was loaded with; "" for none.
	ID     string
	Type   Type
	Data   []byte
	Owners []string // identities; never empty (Any when none were given)
}

// Store holds the credentials loaded over VICI: shared secrets,
// certificates and private keys, each in load order.
type Store struct {
	mu     sync.RWMutex
	shared []*Shared // guarded by mu
	certs  []*Cert   // guarded by mu
	keys   []*Key    // guarded by mu
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{} }

// Add stores s; a secret with the same non-empty ID is replaced, and s
// counts as the newest.
// Without owners the secret belongs to Any.
func (st *Store) Add(s Shared) {
	if len(s.Owners) == 0 {
		s.Owners = []string{Any}
	}
	s.Owners = slices.Clone(s.Owners)
	s.Data = slices.Clone(s.Data)
	st.mu.Lock()
	defer st.mu.Unlock()
	if s.ID != "" {
		st.shared = slices.DeleteFunc(st.shared, func(o *Shared) bool { return o.ID == s.ID })
	}
	st.shared = append(st.shared, &s)
}

// Remove drops the secret with that unique id and reports whether one was
// there.
func (st *Store) Remove(id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	n := len(st.shared)
	st.shared = slices.DeleteFunc(st.shared, func(s *Shared) bool { return s.ID == id })
	return len(st.shared) != n
}

// IDs returns the unique ids of the secrets loaded with one, newest first
// as charon lists them.
func (st *Store) IDs() []string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	ids := []string{}
	for _, s := range slices.Backward(st.shared) {
		if s.ID != "" {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// Clear removes every secret, certificate and private key.
func (st *Store) Clear() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.shared, st.certs, st.keys = nil, nil, nil
}

// Match quality of an owner list against one identity, as strongSwan
// ranks them: an exact owner beats %any, which beats no match.
const (
	matchNone  = 0
	matchAny   = 1
	matchExact = 3
)

func ownerMatch(owners []string, id string) int {
	best := matchNone
	for _, o := range owners {
		switch {
		case id != "" && strings.EqualFold(o, id):
			return matchExact
		case o == Any:
			best = matchAny
		}
	}
	return best
}

// Lookup returns the best secret of type t for a local and a remote
// identity. A secret qualifies when its owners match both identities, or
// one of them while the other is empty (unknown yet); %any matches every
// identity. The sum of both match qualities ranks candidates (exact beats
// %any); among equals the first loaded wins. Identities are compared
// case-insensitively as text, without strongSwan's wildcard and DN rules.
//
// TODO: wildcard identities (*@example.org) and DN matching.
func (st *Store) Lookup(t Type, local, remote string) (*Shared, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var best *Shared
	bestScore := 0
	for _, s := range st.shared {
		if s.Type != t {
			continue
		}
		ml, mr := ownerMatch(s.Owners, local), ownerMatch(s.Owners, remote)
		if (local != "" && ml == matchNone) || (remote != "" && mr == matchNone) {
			continue
		}
		if score := ml + mr; score > bestScore {
			best, bestScore = s, score
		}
	}
	if best == nil {
		return nil, false
	}
	cp := *best
	cp.Owners, cp.Data = slices.Clone(best.Owners), slices.Clone(best.Data)
	return &cp, true
}
