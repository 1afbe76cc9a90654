package creds

import (
	"slices"
	"strings"
)

// AddCert stores c unless the same certificate is already there, and
// reports whether it was added.
func (st *Store) AddCert(c *Cert) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, old := range st.certs {
		if old.Equal(c) {
			return false
		}
	}
	st.certs = append(st.certs, c)
	return true
}

// Certs returns the stored certificates in load order.
func (st *Store) Certs() []*Cert {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return slices.Clone(st.certs)
}

// AddKey stores k as the newest key, replacing one with the same id.
func (st *Store) AddKey(k *Key) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.keys = slices.DeleteFunc(st.keys, func(o *Key) bool { return o.ID == k.ID })
	st.keys = append(st.keys, k)
}

// RemoveKey drops the key with that id (hex, any case) and reports whether
// it was there.
func (st *Store) RemoveKey(id string) bool {
	id = strings.ToLower(id)
	st.mu.Lock()
	defer st.mu.Unlock()
	n := len(st.keys)
	st.keys = slices.DeleteFunc(st.keys, func(k *Key) bool { return k.ID == id })
	return len(st.keys) != n
}

// KeyIDs returns the ids of the stored keys, newest first as charon lists
// them.
func (st *Store) KeyIDs() []string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	ids := []string{}
	for _, k := range slices.Backward(st.keys) {
		ids = append(ids, k.ID)
	}
	return ids
}

// HasKey reports whether a private key with that id is stored.
func (st *Store) HasKey(id string) bool {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return id != "" && slices.ContainsFunc(st.keys, func(k *Key) bool { return k.ID == id })
}
