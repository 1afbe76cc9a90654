package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/charond/charond/config"
)

// writeLabel prints a security label as swanctl does: the daemon sends it
// hex encoded, swanctl prints its text, with each unprintable byte as '?'
// and without the terminating NUL. An empty label is not printed.
func writeLabel(w io.Writer, prefix, hexv string, ok bool) {
	if !ok {
		return
	}
	// strongSwan's hex reading: an optional 0x, then its lenient digits
	b := []byte(config.DecodeHex(strings.TrimPrefix(hexv, "0x")))
	if len(b) == 0 || (len(b) == 1 && b[0] == 0) {
		return
	}
	if b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	fmt.Fprintf(w, "%s%s\n", prefix, printable(b))
}
