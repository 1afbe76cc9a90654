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

// walk is the state of one lookup. Every view it builds holds each node
// once: a node referenced again through another path (a diamond of ':'
// references) is not expanded again, which made lookups exponential.
type walk struct {
	root  *node
	views map[string][]*node // views of referenced paths' parents
	cut   bool               // a reference loop was cut, views depend on the stack
}

// countVisit, when set by a test, is called for each node a view expands.
var countVisit func()

// children returns the view of the sub-sections name of nodes: each one
// found, each followed depth-first by what it references. stack holds the
// references being resolved, so that loops through a path's parents end.
func (w *walk) children(nodes []*node, name string, stack []string) []*node {
	var out []*node
	seen := map[*node]bool{}
	for _, n := range nodes {
		if c := n.child(name); c != nil {
			out = w.expand(c, out, seen, stack)
		}
	}
	return out
}

// expand appends n and, depth-first, the sections its references name,
// skipping those the view already has (first occurrence wins).
func (w *walk) expand(n *node, out []*node, seen map[*node]bool, stack []string) []*node {
	if seen[n] {
		return out
	}
	seen[n] = true
	if countVisit != nil {
		countVisit()
	}
	out = append(out, n)
	for _, ref := range n.refs {
		if slices.Contains(stack, ref) {
			w.cut = true
			continue
		}
		inner := append(stack[:len(stack):len(stack)], ref)
		parent, last := "", ref
		if dot := strings.LastIndexByte(ref, '.'); dot >= 0 {
			parent, last = ref[:dot], ref[dot+1:]
		}
		for _, p := range w.view(parent, inner) {
			if c := p.child(last); c != nil {
				out = w.expand(c, out, seen, inner)
			}
		}
	}
	return out
}

// view returns the view of the absolute path ("" is the root). A view
// built without cutting a loop does not depend on the stack and is kept
// for the rest of the walk.
// TODO: views that cut a loop are built again each time; a diamond whose
// references also loop through their parents could still cost more than
// linear time. A per-walk budget would bound it.
func (w *walk) view(path string, stack []string) []*node {
	if path == "" {
		return []*node{w.root}
	}
	if v, ok := w.views[path]; ok {
		return v
	}
	parent, last := "", path
	if dot := strings.LastIndexByte(path, '.'); dot >= 0 {
		parent, last = path[:dot], path[dot+1:]
	}
	outer := w.cut
	w.cut = false
	v := w.children(w.view(parent, stack), last, stack)
	if !w.cut {
		if w.views == nil {
			w.views = map[string][]*node{}
		}
		w.views[path] = v
	}
	w.cut = w.cut || outer
	return v
}

// Section returns the sub-section name; it does not exist if nobody, the
// section itself or a referenced one, defines it.
func (s Section) Section(name string) Section {
	w := &walk{root: s.root}
	return Section{name: name, root: s.root, nodes: w.children(s.nodes, name, nil)}
}

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
