package vici

import (
	"encoding/hex"
	"strings"
)

// TextValue renders a value as swanctl prints it: printable text as is,
// anything else as 0x and hex.
func TextValue(v string) string {
	if Printable(v) {
		return v
	}
	return "0x" + hex.EncodeToString([]byte(v))
}

// AppendRaw appends m in swanctl's --raw form, without the enclosing braces:
// `k=v s {…} l=[a b]`, elements separated by single spaces.
func AppendRaw(b *strings.Builder, m *Message) {
	for i, e := range m.Entries() {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(e.Name)
		switch e.Kind {
		case KindValue:
			b.WriteByte('=')
			b.WriteString(TextValue(e.Value))
		case KindList:
			b.WriteString("=[")
			for j, it := range e.Items {
				if j > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(TextValue(it))
			}
			b.WriteByte(']')
		case KindSection:
			b.WriteString(" {")
			AppendRaw(b, e.Section)
			b.WriteByte('}')
		}
	}
}

// AppendPretty appends m in swanctl's --pretty form: one element per line,
// indented two spaces per level starting at depth.
func AppendPretty(b *strings.Builder, m *Message, depth int) {
	ind := strings.Repeat("  ", depth)
	for _, e := range m.Entries() {
		b.WriteString(ind)
		b.WriteString(e.Name)
		switch e.Kind {
		case KindValue:
			b.WriteString(" = ")
			b.WriteString(TextValue(e.Value))
			b.WriteByte('\n')
		case KindList:
			b.WriteString(" = [\n")
			for _, it := range e.Items {
				b.WriteString(ind)
				b.WriteString("  ")
				b.WriteString(TextValue(it))
				b.WriteByte('\n')
			}
			b.WriteString(ind)
			b.WriteString("]\n")
		case KindSection:
			b.WriteString(" {\n")
			AppendPretty(b, e.Section, depth+1)
			b.WriteString(ind)
			b.WriteString("}\n")
		}
	}
}

// String renders m in the raw form within braces, for logs and tests.
func (m *Message) String() string {
	var b strings.Builder
	b.WriteByte('{')
	AppendRaw(&b, m)
	b.WriteByte('}')
	return b.String()
}
