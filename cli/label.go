package cli

import (
	"fmt"
	"io"
	"strings"
)

// writeLabel prints a security label as swanctl does: the daemon sends it
// hex encoded, swanctl prints its text, with each unprintable byte as '?'
// and without the terminating NUL. An empty label is not printed.
func writeLabel(w io.Writer, prefix, hexv string, ok bool) {
	if !ok {
		return
	}
	b := fromHex(hexv)
	if len(b) == 0 || (len(b) == 1 && b[0] == 0) {
		return
	}
	if b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	fmt.Fprintf(w, "%s%s\n", prefix, printable(b))
}

// fromHex decodes hex as strongSwan's chunk_from_hex does: an optional 0x
// prefix, ':' separators skipped, an odd count taken as a leading 0, and
// anything that is no hex digit as 0.
func fromHex(s string) []byte {
	s = strings.TrimPrefix(s, "0x")
	s = strings.ReplaceAll(s, ":", "")
	if len(s)%2 == 1 {
		s = "0" + s
	}
	b := make([]byte, len(s)/2)
	for i := range b {
		b[i] = hexDigit(s[2*i])<<4 | hexDigit(s[2*i+1])
	}
	return b
}

func hexDigit(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}
