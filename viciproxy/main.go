// Command viciproxy sits between a VICI client and a daemon and writes every
// packet, decoded, to a file (or stdout):
//
//	viciproxy --listen unix:///tmp/p.vici --connect unix:///var/run/charon.vici --out rec.txt
//	swanctl --load-all --uri unix:///tmp/p.vici
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/charond/charond/proxy"
)

func main() {
	listen := flag.String("listen", "",
		"URI to accept clients on (unix:///path or tcp://host:port)")
	connect := flag.String("connect", "unix:///var/run/charon.vici", "URI of the daemon")
	outPath := flag.String("out", "-", "file to append the record to; - is stdout")
	flag.Parse()
	if *listen == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	var out io.Writer = os.Stdout
	if *outPath != "-" {
		f, err := os.OpenFile(*outPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			fmt.Fprintln(os.Stderr, "viciproxy:", err)
			os.Exit(1)
		}
		defer f.Close()
		out = f
	}
	p, err := proxy.Start(*listen, *connect, out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "viciproxy:", err)
		os.Exit(1)
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	<-sigs
	p.Close()
}
