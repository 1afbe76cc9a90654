//go:build !linux

package cli

import "os"

// echoOff is not implemented beyond Linux.
// TODO: turn off echo on other systems' terminals.
func echoOff(*os.File) func() { return nil }
