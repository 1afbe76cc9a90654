// Command swanctl is charond's control tool: strongSwan's swanctl command
// line over VICI. All logic lives in package cli.
package main

import (
	"os"

	"github.com/charond/charond/cli"
)

func main() {
	os.Exit(cli.Main(os.Args, os.Stdin, os.Stdout, os.Stderr))
}
