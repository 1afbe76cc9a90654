package cli

import (
	"os"
	"syscall"
	"unsafe"
)

// echoOff turns off echo on a terminal and returns how to turn it back on,
// or nil when f is no terminal.
func echoOff(f *os.File) func() {
	var t syscall.Termios
	fd := f.Fd()
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TCGETS,
		uintptr(unsafe.Pointer(&t))); e != 0 {
		return nil
	}
	saved := t
	t.Lflag &^= syscall.ECHO
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TCSETS,
		uintptr(unsafe.Pointer(&t))); e != 0 {
		return nil
	}
	return func() {
		syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TCSETS, uintptr(unsafe.Pointer(&saved)))
	}
}
