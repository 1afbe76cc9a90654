// Command profd is charond wired as charond/main.go wires it, with CPU and
// heap profiles for the benchmark: it writes $PROFD_CPU while it runs and
// $PROFD_HEAP when SIGTERM stops it. It takes charond's --config and --uri.
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"

	"github.com/charond/charond/daemon"
	"github.com/charond/charond/settings"
	"github.com/charond/charond/vici"
)

func main() {
	file := flag.String("config", settings.DefaultFile, "strongswan.conf")
	uri := flag.String("uri", "", "VICI socket URI")
	flag.Parse()
	logEvents := vici.NewLogHandler(slog.NewTextHandler(os.Stderr, nil))
	log := slog.New(logEvents)
	set, err := settings.Load(*file, true)
	if err != nil {
		log.Error("settings", "err", err)
		os.Exit(1)
	}
	if *uri == "" {
		*uri = set.URI
	}
	if p := os.Getenv("PROFD_CPU"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			log.Error("cpu profile", "err", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Error("cpu profile", "err", err)
			os.Exit(1)
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	srv := vici.NewServer(log, set.Limits)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	logEvents.Start(ctx, srv)
	d := daemon.New(daemon.Options{Logger: log, SettingsFile: *file,
		Runtime: func(m *vici.Message) { srv.RuntimeFigures(m) }})
	d.Register(srv)
	l, err := vici.Listen(*uri, set.Socket)
	if err != nil {
		log.Error("listen", "err", err)
		os.Exit(1)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	<-sigs
	if p := os.Getenv("PROFD_HEAP"); p != "" {
		runtime.GC()
		if f, err := os.Create(p); err == nil {
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	srv.Close()
	<-done
}
