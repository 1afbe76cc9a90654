package cli

import (
	"fmt"
	"io"
)

// Version is the strongSwan release whose swanctl this one stands in for.
const Version = "5.9.8"

// writeGlobalUsage prints the banner, the plugin line and the command list.
func writeGlobalUsage(w io.Writer, plugins string) {
	fmt.Fprintf(w, "strongSwan %s swanctl\n", Version)
	fmt.Fprintf(w, "loaded plugins: %s\n", plugins)
	fmt.Fprintln(w, "usage:")
	for _, o := range commandOptions() {
		fmt.Fprintf(w, "  swanctl --%-16s (-%c)  %s\n", o.long, o.short, o.help)
	}
}

// writeCommandUsage prints the usage of one command with its options.
func writeCommandUsage(w io.Writer, c *command) {
	fmt.Fprintf(w, "strongSwan %s swanctl\n", Version)
	fmt.Fprintln(w, "usage:")
	fmt.Fprintf(w, "  swanctl %s\n", c.usage)
	for _, o := range c.allOptions() {
		fmt.Fprintf(w, "           --%-16s(-%c)  %s\n", o.long, o.short, o.help)
	}
}
