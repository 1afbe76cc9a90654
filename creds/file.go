package creds

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// MaxFileSize bounds a credential file a VICI client names: certificates
// and keys are a few kilobytes, and the daemon must not read /dev/zero.
const MaxFileSize = 1 << 20

// ErrFileRefused wraps every reason ReadFile refuses a path.
var ErrFileRefused = errors.New("credential file refused")

// ReadFile reads a credential file named by a VICI client. It opens without
// blocking, so a FIFO nobody writes cannot hang the handler, and it reads
// only regular files of at most MaxFileSize bytes.
func ReadFile(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file (%s)", ErrFileRefused, path,
			fi.Mode().Type())
	}
	if fi.Size() > MaxFileSize {
		return nil, fmt.Errorf("%w: %s has %d bytes, more than %d", ErrFileRefused, path,
			fi.Size(), MaxFileSize)
	}
	// the file may grow after the stat: read one byte past the cap to see it
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%w: %s grew past %d bytes", ErrFileRefused, path, MaxFileSize)
	}
	return data, nil
}
