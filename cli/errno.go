package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"

	"github.com/charond/charond/vici"
)

// errnoOf finds the system error number behind err, as the C swanctl would
// have it in errno. Errors without one count as EIO; a connection the
// daemon closed as ECONNRESET.
func errnoOf(err error) syscall.Errno {
	var en syscall.Errno
	switch {
	case err == nil:
		return 0
	case errors.As(err, &en):
		return en
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, io.ErrClosedPipe):
		return syscall.ECONNRESET
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return syscall.ETIMEDOUT
	}
	return syscall.EIO
}

// strerror is glibc's text for an error number: Go's text with a capital.
func strerror(en syscall.Errno) string {
	if en == 0 {
		return "Success"
	}
	s := en.Error()
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// builderError is a request that libvici's message builder would refuse:
// a name or value too long for its length field. swanctl prints the
// builder's lines, then fails the request with EINVAL.
type builderError struct {
	lines []string
}

func (e *builderError) Error() string {
	return "cli: " + strings.Join(e.lines, "; ")
}

func (e *builderError) Unwrap() error { return syscall.EINVAL }

// newBuilderError lists what libvici's builder says of m: a line per name
// or value over its limit, in message order, then its summary. An entry
// with a long name is refused whole, so what it holds is not looked at.
func newBuilderError(m *vici.Message) *builderError {
	var lines []string
	var walk func(m *vici.Message)
	value := func(v string) {
		if len(v) > vici.MaxValueLen {
			lines = append(lines, fmt.Sprintf("vici value exceeds size limit (%d > %d)",
				len(v), vici.MaxValueLen))
		}
	}
	walk = func(m *vici.Message) {
		for _, e := range m.Entries() {
			if len(e.Name) > vici.MaxNameLen {
				lines = append(lines, fmt.Sprintf("vici name exceeds size limit (%d > %d)",
					len(e.Name), vici.MaxNameLen))
				continue
			}
			switch e.Kind {
			case vici.KindValue:
				value(e.Value)
			case vici.KindList:
				for _, it := range e.Items {
					value(it)
				}
			case vici.KindSection:
				walk(e.Section)
			}
		}
	}
	walk(m)
	lines = append(lines, fmt.Sprintf("vici builder error: %d errors (section: 0, list 0)",
		len(lines)))
	return &builderError{lines: lines}
}

// requestFailed prints swanctl's lines for a request that failed with err
// and returns its error number.
func (e *env) requestFailed(cmd string, err error) syscall.Errno {
	var be *builderError
	if errors.As(err, &be) {
		for _, l := range be.lines {
			fmt.Fprintln(e.stderr, l)
		}
	}
	en := errnoOf(err)
	fmt.Fprintf(e.stderr, "%s request failed: %s\n", cmd, strerror(en))
	return en
}
