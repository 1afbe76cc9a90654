package cli

import (
	"fmt"
	"io"
	"os"
)

// getpass prompts as glibc's getpass does: on the controlling terminal
// with echo off when there is one, else on stderr, reading a line from
// stdin. It returns false for end of input or an empty line, as swanctl
// then takes no passphrase.
func (e *env) getpass(prompt string) (string, bool) {
	if tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil {
		defer tty.Close()
		fmt.Fprint(tty, prompt)
		restore := echoOff(tty)
		line, _ := readLine(tty)
		if restore != nil {
			restore()
			fmt.Fprintln(tty)
		}
		return line, line != ""
	}
	fmt.Fprint(e.stderr, prompt)
	line, _ := readLine(e.stdin)
	return line, line != ""
}

// readLine reads up to a newline one byte at a time, so that nothing after
// it is consumed for a later prompt.
func readLine(r io.Reader) (string, error) {
	if r == nil {
		return "", io.EOF
	}
	var line []byte
	b := make([]byte, 1)
	for {
		n, err := r.Read(b)
		if n == 1 {
			if b[0] == '\n' {
				return string(line), nil
			}
			line = append(line, b[0])
			continue
		}
		if err != nil {
			return string(line), err
		}
	}
}
