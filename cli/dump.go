package cli

import (
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

// dump writes m under label ("get-pools reply", "list-conn event") in the
// raw or pretty form.
func dump(w io.Writer, label string, m *vici.Message, f format) {
	var b strings.Builder
	b.WriteString(label)
	b.WriteString(" {")
	if f == formatPretty {
		b.WriteByte('\n')
		vici.AppendPretty(&b, m, 1)
	} else {
		vici.AppendRaw(&b, m)
	}
	b.WriteString("}\n")
	_, _ = io.WriteString(w, b.String())
}
