// Command profctl is our swanctl with a CPU profile: it runs cli.Main with
// its arguments and writes the profile to $PROFCTL_CPU.
package main

import (
	"os"
	"runtime/pprof"

	"github.com/charond/charond/cli"
)

func main() {
	if p := os.Getenv("PROFCTL_CPU"); p != "" {
		f, err := os.Create(p)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			code := cli.Main(os.Args, os.Stdin, os.Stdout, os.Stderr)
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(code)
		}
	}
	os.Exit(cli.Main(os.Args, os.Stdin, os.Stdout, os.Stderr))
}
