package config

import (
	"slices"
	"strings"
)

// node is one section as written, after merging duplicates.
type node struct {
	name     string
	refs     []string // absolute dotted paths, resolved at lookup time
	keys     []*setting
	sections []*node
	// byName indexes sections once there are many (a file of 10,000
	// connections): a search per lookup made reading it quadratic.
	byName map[string]*node
}

// indexFrom is the number of sections from which child uses byName.
const indexFrom = 16

// setting is one key; a nil value is a null assignment (`key =`).
type setting struct {
	key   string
	value *string
}

func (n *node) child(name string) *node {
	if n.byName != nil {
		return n.byName[name]
	}
	for _, c := range n.sections {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (n *node) setting(key string) *setting {
	for _, s := range n.keys {
		if s.key == key {
			return s
		}
	}
	return nil
}

// set stores key; a repeated key keeps its position and takes the new value.
func (n *node) set(key string, value *string) {
	if s := n.setting(key); s != nil {
		s.value = value
		return
	}
	n.keys = append(n.keys, &setting{key: key, value: value})
}

// section returns the sub-section name, creating it at the end if needed,
// and adds refs that it does not already hold.
func (n *node) section(name string, refs []string) *node {
	c := n.child(name)
	if c == nil {
		c = &node{name: name}
		n.sections = append(n.sections, c)
		switch {
		case n.byName != nil:
			n.byName[name] = c
		case len(n.sections) >= indexFrom:
			n.byName = make(map[string]*node, 2*len(n.sections))
			for _, s := range n.sections {
				n.byName[s.name] = s
			}
		}
	}
	for _, r := range refs {
		dup := false
		for _, have := range c.refs {
			dup = dup || have == r
		}
		if !dup {
			c.refs = append(c.refs, r)
		}
	}
	return c
}

// Settings is a parsed file tree. The embedded Section is the root: pass
// s.Section to Pools, Connections and friends, and use s.Get or s.Path for
// lookups (the field hides Section's own Section method, so write
// s.Path("pools") rather than s.Section("pools")).
type Settings struct {
	Section
}

func newSettings() *Settings {
	root := &node{}
	return &Settings{Section{root: root, nodes: []*node{root}}}
}

// Section is a view of one section: the section as written plus, after it,
// every section it references (recursively). Lookups and enumerations see
// the own content first, then inherited content not already seen. The zero
// Section is empty.
type Section struct {
	name  string
	root  *node
	nodes []*node
}

// Name returns the section's name ("" for the root).
func (s Section) Name() string { return s.name }

// Exists reports whether the section is present in the tree.
func (s Section) Exists() bool { return len(s.nodes) > 0 }

// expand appends n and, depth-first, the sections its references name.
// stack holds the references being resolved, so that loops end.
func (s Section) expand(n *node, out []*node, stack []string) []*node {
	for _, have := range out {
		if have == n {
			return out
		}
	}
	out = append(out, n)
	for _, ref := range n.refs {
		if slices.Contains(stack, ref) {
			continue
		}
		for _, r := range s.resolve(ref, append(stack[:len(stack):len(stack)], ref)) {
			out = s.expand(r, out, stack)
		}
	}
	return out
}

// resolve finds the sections at the absolute path ref.
func (s Section) resolve(ref string, stack []string) []*node {
	view := Section{root: s.root, nodes: []*node{s.root}}
	for _, part := range strings.Split(ref, ".") {
		view = view.childView(part, stack)
		if !view.Exists() {
			return nil
		}
	}
	return view.nodes
}

func (s Section) childView(name string, stack []string) Section {
	sub := Section{name: name, root: s.root}
	for _, n := range s.nodes {
		if c := n.child(name); c != nil {
			sub.nodes = s.expand(c, sub.nodes, stack)
		}
	}
	return sub
}

// Section returns the sub-section name; it does not exist if nobody, the
// section itself or a referenced one, defines it.
func (s Section) Section(name string) Section { return s.childView(name, nil) }

// Sections returns the names of the sub-sections: own ones in file order,
// then inherited ones not seen yet.
func (s Section) Sections() []string {
	var names []string
	seen := map[string]bool{}
	for _, n := range s.nodes {
		for _, c := range n.sections {
			if !seen[c.name] {
				seen[c.name] = true
				names = append(names, c.name)
			}
		}
	}
	return names
}

// KeyValue is one enumerated setting.
type KeyValue struct {
	Key, Value string
}

// KeyValues returns the settings with a value: own keys in file order, then
// inherited keys not seen yet. A null assignment hides an inherited key.
func (s Section) KeyValues() []KeyValue {
	var kvs []KeyValue
	seen := map[string]bool{}
	for _, n := range s.nodes {
		for _, k := range n.keys {
			if seen[k.key] {
				continue
			}
			seen[k.key] = true
			if k.value != nil {
				kvs = append(kvs, KeyValue{k.key, *k.value})
			}
		}
	}
	return kvs
}

// Keys returns the names of KeyValues.
func (s Section) Keys() []string {
	var keys []string
	for _, kv := range s.KeyValues() {
		keys = append(keys, kv.Key)
	}
	return keys
}

// Value returns the value of key, looking at the own section first and then
// at referenced ones. A null assignment counts as absent.
func (s Section) Value(key string) (string, bool) {
	for _, n := range s.nodes {
		if k := n.setting(key); k != nil {
			if k.value == nil {
				return "", false
			}
			return *k.value, true
		}
	}
	return "", false
}

// Get looks up a dotted path such as "charon.plugins.vici.socket": all
// parts but the last name sections, the last one a key.
func (s Section) Get(path string) (string, bool) {
	parts := strings.Split(path, ".")
	sec := s
	for _, p := range parts[:len(parts)-1] {
		sec = sec.Section(p)
	}
	return sec.Value(parts[len(parts)-1])
}

// Path returns the section at a dotted path ("" is s itself).
func (s Section) Path(path string) Section {
	if path == "" {
		return s
	}
	sec := s
	for _, p := range strings.Split(path, ".") {
		sec = sec.Section(p)
	}
	return sec
}
