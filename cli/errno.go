package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"syscall"
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
