package config

import (
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"

	"github.com/charond/charond/vici"
)

// dumpTree renders the tree as written (after merging), with references,
// null values and quoted values, one item per line.
func dumpTree(s *Settings) string {
	var b strings.Builder
	dumpNode(&b, s.root, "")
	return b.String()
}

func dumpNode(b *strings.Builder, n *node, ind string) {
	for _, k := range n.keys {
		if k.value == nil {
			fmt.Fprintf(b, "%s%s =\n", ind, k.key)
		} else {
			fmt.Fprintf(b, "%s%s = %s\n", ind, k.key, strconv.Quote(*k.value))
		}
	}
	for _, c := range n.sections {
		refs := ""
		if len(c.refs) > 0 {
			refs = " : " + strings.Join(c.refs, ", ")
		}
		fmt.Fprintf(b, "%s%s%s {\n", ind, c.name, refs)
		dumpNode(b, c, ind+"  ")
		fmt.Fprintf(b, "%s}\n", ind)
	}
}

// dumpView renders what enumeration yields: a section's key/values and,
// recursively, its sub-sections, references resolved.
func dumpView(s Section) string {
	var b strings.Builder
	dumpSection(&b, s, "")
	return b.String()
}

// maxDumpDepth stops the view dump of sections that inherit themselves
// (a { b : a { } } has no end).
const maxDumpDepth = 8

func dumpSection(b *strings.Builder, s Section, ind string) {
	for _, kv := range s.KeyValues() {
		fmt.Fprintf(b, "%s%s = %s\n", ind, kv.Key, strconv.Quote(kv.Value))
	}
	if len(ind) >= 2*maxDumpDepth {
		fmt.Fprintf(b, "%s...\n", ind)
		return
	}
	for _, name := range s.Sections() {
		fmt.Fprintf(b, "%s%s {\n", ind, name)
		dumpSection(b, s.Section(name), ind+"  ")
		fmt.Fprintf(b, "%s}\n", ind)
	}
}

// dumpMessage renders a request as the fixtures hold it: one entry per
// line, values quoted, values over 80 bytes as a hash and their length.
func dumpMessage(b *strings.Builder, m *vici.Message, ind string) {
	for _, e := range m.Entries() {
		switch e.Kind {
		case vici.KindValue:
			fmt.Fprintf(b, "%s%s = %s\n", ind, e.Name, quoteBlob(e.Value))
		case vici.KindList:
			items := make([]string, 0, len(e.Items))
			for _, it := range e.Items {
				items = append(items, quoteBlob(it))
			}
			fmt.Fprintf(b, "%s%s = [%s]\n", ind, e.Name, strings.Join(items, ", "))
		case vici.KindSection:
			fmt.Fprintf(b, "%s%s {\n", ind, e.Name)
			dumpMessage(b, e.Section, ind+"  ")
			fmt.Fprintf(b, "%s}\n", ind)
		}
	}
}

func quoteBlob(v string) string {
	if len(v) > 80 {
		h := sha256.Sum256([]byte(v))
		return fmt.Sprintf("<sha256:%x %d bytes>", h[:8], len(v))
	}
	return strconv.Quote(v)
}
