// Command viciload drives a VICI daemon with many concurrent clients mixing
// pool and connection commands with garbage frames, then checks the
// daemon's state against what the clients did:
//
//	viciload --socket /var/run/charon.vici --clients 1000 --duration 60s
//	viciload --spawn bin/charond --clients 200 --duration 15s
//
// With --spawn it starts that charond on a socket of its own, drives it and
// stops it with SIGTERM, which must end it cleanly.
//
// It exits 1 when any well-formed request got a wrong or missing reply or
// the daemon lost or kept something it should not have.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/charond/charond/loadgen"
	"github.com/charond/charond/vici"
)

func main() {
	var cfg loadgen.Config
	flag.StringVar(&cfg.Socket, "socket", "/var/run/charon.vici", "daemon's unix socket")
	flag.IntVar(&cfg.Clients, "clients", 100, "concurrent clients")
	flag.DurationVar(&cfg.Duration, "duration", 10*time.Second, "how long to send requests")
	flag.IntVar(&cfg.Garbage, "garbage", 5, "percent of operations that send a garbage frame")
	flag.BoolVar(&cfg.Keep, "keep", false, "leave the pools and connections loaded")
	flag.Uint64Var(&cfg.Seed, "seed", 0, "random seed (0: from the clock)")
	spawn := flag.String("spawn", "", "charond binary to start for the run (instead of --socket)")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg.Log = log
	if before, after, err := vici.RaiseFileLimit(); err != nil {
		log.Warn("cannot raise open file limit", "subsys", "load", "err", err)
	} else if need := uint64(2*cfg.Clients + 64); after < need {
		log.Warn("open file limit too low for the clients", "subsys", "load",
			"limit", after, "need", need)
	} else if after != before {
		log.Info("open file limit raised", "subsys", "load", "from", before, "to", after)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	var d *loadgen.Daemon
	if *spawn != "" {
		var err error
		if d, err = loadgen.Spawn(*spawn); err != nil {
			fmt.Fprintln(os.Stderr, "viciload:", err)
			os.Exit(1)
		}
		cfg.Socket = d.Socket
	}
	rep, err := loadgen.Run(ctx, cfg)
	if d != nil {
		if serr := d.Stop(); serr != nil {
			fmt.Fprintln(os.Stderr, "viciload:", serr)
			os.Exit(1)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "viciload:", err)
		os.Exit(1)
	}
	loadgen.Print(os.Stdout, rep)
	if !rep.OK() {
		os.Exit(1)
	}
}
