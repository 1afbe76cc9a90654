package creds

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/charond/charond/identity"
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

	owners []identity.Identity // Owners parsed, for Lookup
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
	s.owners = make([]identity.Identity, len(s.Owners))
	for i, o := range s.Owners {
		s.owners[i] = identity.Parse(o)
	}
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

// Match qualities of an owner against one identity, strongSwan's values so
// that their sums rank candidates as strongSwan's do: an exact owner beats
// one with a leading wildcard ("*@example.org"), which beats %any.
const (
	matchNone         = 0
	matchAny          = 1
	matchMaxWildcards = 2
	matchOneWildcard  = 19
	matchExact        = 20
)

// ownerMatch is the best match of an identity among a secret's owners.
func ownerMatch(owners []identity.Identity, id identity.Identity) int {
	best := matchNone
	for _, o := range owners {
		best = max(best, idMatch(id, o))
	}
	return best
}

// idMatch ranks how an owner matches an identity. An owner of the same
// type matches exactly, or, for host names and e-mail addresses, with a
// leading '*' standing for at least one character, or, for distinguished
// names, with "*" values, each ranking one lower; an owner that is a lone
// '*' or %any matches anything.
func idMatch(me, owner identity.Identity) int {
	if owner.IsAny() {
		return matchAny
	}
	if me.Type() != owner.Type() {
		return matchNone
	}
	md, od := string(me.Data()), string(owner.Data())
	switch me.Type() {
	case identity.FQDN, identity.RFC822Addr:
		switch {
		case strings.EqualFold(md, od):
			return matchExact
		case od == "*":
			return matchAny
		case strings.HasPrefix(od, "*") && len(md) >= len(od) &&
			strings.EqualFold(md[len(md)-len(od)+1:], od[1:]):
			return matchOneWildcard
		}
	case identity.DERASN1DN:
		if wc, ok := identity.MatchDN(md, od); ok {
			// each wildcard ranks lower, down to strongSwan's floor
			return matchExact - min(wc, matchOneWildcard-matchMaxWildcards)
		}
	default:
		if md == od {
			return matchExact
		}
	}
	return matchNone
}

// Lookup returns the best secret of type t for a local and a remote
// identity, ranked as strongSwan ranks them: a secret qualifies when its
// owners match either identity; the better match of the remote identity
// wins, then that of the local one, then the newest secret. An exact
// owner beats one with wildcards, which beats %any; an identity that is
// %any itself matches only %any owners.
//
// Distinguished names match in strongSwan's default order-preserving way
// (charon.rdn_matching unset), a "*" value matching any one value.
func (st *Store) Lookup(t Type, local, remote identity.Identity) (*Shared, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var best *Shared
	bestL, bestR := matchNone, matchNone
	for _, s := range slices.Backward(st.shared) {
		if s.Type != t {
			continue
		}
		ml, mr := ownerMatch(s.owners, local), ownerMatch(s.owners, remote)
		if ml == matchNone && mr == matchNone {
			continue
		}
		if best == nil || mr > bestR || (mr == bestR && ml > bestL) {
			best, bestL, bestR = s, ml, mr
		}
	}
	if best == nil {
		return nil, false
	}
	cp := *best
	cp.Owners, cp.Data = slices.Clone(best.Owners), slices.Clone(best.Data)
	return &cp, true
}
