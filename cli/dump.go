package cli

import (
	"encoding/hex"
	"io"
	"strings"

	"github.com/charond/charond/vici"
)

// format selects how replies and events are shown.
type format int

const (
	formatText   format = iota // the command's own rendering
	formatRaw                  // --raw: one line per message
	formatPretty               // --pretty: indented, one element per line
)

// dumpValue renders a value as swanctl does: printable text as is, anything
// else as 0x and hex.
func dumpValue(v string) string {
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			return "0x" + hex.EncodeToString([]byte(v))
		}
	}
	return v
}

// dump writes m under label ("get-pools reply", "list-conn event") in the
// raw or pretty form.
func dump(w io.Writer, label string, m *vici.Message, f format) {
	var b strings.Builder
	b.WriteString(label)
	b.WriteString(" {")
	if f == formatPretty {
		b.WriteByte('\n')
		dumpPretty(&b, m, 1)
	} else {
		dumpRaw(&b, m)
	}
	b.WriteString("}\n")
	_, _ = io.WriteString(w, b.String())
}

func dumpRaw(b *strings.Builder, m *vici.Message) {
	for i, e := range m.Entries() {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(e.Name)
		switch e.Kind {
		case vici.KindValue:
			b.WriteByte('=')
			b.WriteString(dumpValue(e.Value))
		case vici.KindList:
			b.WriteString("=[")
			for j, it := range e.Items {
				if j > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(dumpValue(it))
			}
			b.WriteByte(']')
		case vici.KindSection:
			b.WriteString(" {")
			dumpRaw(b, e.Section)
			b.WriteByte('}')
		}
	}
}

func dumpPretty(b *strings.Builder, m *vici.Message, depth int) {
	ind := strings.Repeat("  ", depth)
	for _, e := range m.Entries() {
		b.WriteString(ind)
		b.WriteString(e.Name)
		switch e.Kind {
		case vici.KindValue:
			b.WriteString(" = ")
			b.WriteString(dumpValue(e.Value))
			b.WriteByte('\n')
		case vici.KindList:
			b.WriteString(" = [\n")
			for _, it := range e.Items {
				b.WriteString(ind)
				b.WriteString("  ")
				b.WriteString(dumpValue(it))
				b.WriteByte('\n')
			}
			b.WriteString(ind)
			b.WriteString("]\n")
		case vici.KindSection:
			b.WriteString(" {\n")
			dumpPretty(b, e.Section, depth+1)
			b.WriteString(ind)
			b.WriteString("}\n")
		}
	}
}
