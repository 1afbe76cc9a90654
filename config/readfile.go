package config

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// notRegular is the error for a FIFO, device or socket, worded as
// strerror would.
type notRegular struct{}

func (notRegular) Error() string { return "Not a regular file" }

// ErrNotRegular says that a file is neither a regular file nor a folder.
var ErrNotRegular error = notRegular{}

// Size limits of the files swanctl reads.
const (
	MaxCredFile = 1 << 20 // a certificate, key or PKCS#12 container
)

// ReadRegular reads the regular file at path, refusing a folder (EISDIR),
// anything else that is not a regular file (ErrNotRegular) and a file of
// more than max bytes (EFBIG). It never opens a FIFO or device: reading one
// blocks or never ends. The file is checked again once open, in case it
// was replaced meanwhile; a FIFO swapped in is opened without blocking.
func ReadRegular(path string, max int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(path, st, max); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := checkRegular(path, st, max); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	if int64(len(data)) > max {
		return nil, &fs.PathError{Op: "read", Path: path, Err: syscall.EFBIG}
	}
	return data, nil
}

func checkRegular(path string, st fs.FileInfo, max int64) error {
	switch {
	case st.IsDir():
		return &fs.PathError{Op: "open", Path: path, Err: syscall.EISDIR}
	case !st.Mode().IsRegular():
		return &fs.PathError{Op: "open", Path: path, Err: ErrNotRegular}
	case st.Size() > max:
		return &fs.PathError{Op: "read", Path: path, Err: syscall.EFBIG}
	}
	return nil
}

// Strerror renders err as C's strerror does ("Is a directory"), for the
// messages swanctl prints about files.
func Strerror(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if s := errno.Error(); s != "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	}
	if errors.Is(err, ErrNotRegular) {
		return ErrNotRegular.Error()
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
