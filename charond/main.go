// Command charond is the daemon: it reads strongswan.conf, serves VICI on
// its socket and keeps connections, credentials and address pools.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/charond/charond/daemon"
	"github.com/charond/charond/ike"
	"github.com/charond/charond/kernel"
	"github.com/charond/charond/settings"
	"github.com/charond/charond/vici"
)

func main() {
	app := &cli.App{
		Name:    "charond",
		Usage:   "IPsec virtual IP control plane, driven over VICI",
		Version: daemon.Version,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Aliases: []string{"c"},
				EnvVars: []string{"STRONGSWAN_CONF"},
				Usage:   "strongswan.conf to read", Value: settings.DefaultFile},
			&cli.StringFlag{Name: "uri", Aliases: []string{"u"},
				Usage: "VICI socket URI (overrides charon.plugins.vici.socket)"},
			&cli.StringFlag{Name: "log-level", Aliases: []string{"l"},
				Usage: "debug, info, warn or error (overrides charond.log_level)"},
		},
		HideHelpCommand: true,
		Action:          run,
	}
	if err := app.Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "charond:", err)
		os.Exit(1)
	}
}

// run wires the packages together and serves until SIGINT or SIGTERM.
func run(c *cli.Context) error {
	if c.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", c.Args().First())
	}
	file := c.String("config")
	explicit := c.IsSet("config")
	level := new(slog.LevelVar)
	logEvents := vici.NewLogHandler(slog.NewTextHandler(os.Stderr,
		&slog.HandlerOptions{Level: level}))
	log := slog.New(logEvents)

	load := func() (*settings.Settings, error) {
		s, err := settings.Load(file, !explicit)
		if err != nil {
			return nil, err
		}
		if v := c.String("log-level"); v != "" {
			if s.LogLevel, err = settings.ParseLevel(v); err != nil {
				return nil, err
			}
		}
		for _, w := range s.Warnings {
			log.Warn(w, "subsys", "cfg", "file", file)
		}
		return s, nil
	}
	set, err := load()
	if err != nil {
		return err
	}
	level.Set(set.LogLevel)
	uri := set.URI
	if v := c.String("uri"); v != "" {
		uri = v
	}

	// Go's runtime already raises the soft limit at start; this makes sure
	// of it and says what the limit is, since each client costs one.
	if _, limit, err := vici.RaiseFileLimit(); err != nil {
		log.Warn("cannot raise open file limit", "subsys", "dmn", "err", err)
	} else if limit < uint64(set.Limits.MaxClients)+64 {
		log.Warn("open file limit below max_clients: clients will be refused",
			"subsys", "dmn", "limit", limit, "max_clients", set.Limits.MaxClients)
	} else {
		log.Info("open file limit", "subsys", "dmn", "limit", limit)
	}
	if b := vici.Backlog(); b > 0 && b < set.Limits.MaxClients {
		log.Warn("listen backlog below max_clients: a burst of connecting clients may be refused",
			"subsys", "vici", "somaxconn", b, "max_clients", set.Limits.MaxClients)
	}
	srv := vici.NewServer(log, set.Limits)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	logEvents.Start(ctx, srv) // swanctl --log
	var mu sync.Mutex         // serialises reloads from SIGHUP and reload-settings
	reload := func() error {
		mu.Lock()
		defer mu.Unlock()
		s, err := load()
		if err != nil {
			return err
		}
		// TODO: the socket (URI, owner, group) is fixed at start; a reload
		// changes the log level and the limits only.
		level.Set(s.LogLevel)
		if old := srv.Limits(); old != s.Limits {
			srv.SetLimits(s.Limits)
			log.Info("vici limits changed", "subsys", "cfg", "limits", fmt.Sprintf("%+v", s.Limits))
		}
		return nil
	}
	d := daemon.New(daemon.Options{
		Logger:       log,
		Reload:       reload,
		SettingsFile: file,
		Runtime:      func(m *vici.Message) { srv.RuntimeFigures(m) },
	})
	d.Register(srv)
	stopIKE, err := startIKE(ctx, set.IKE, d, srv, log)
	if err != nil {
		return err
	}
	defer stopIKE()

	l, err := vici.Listen(uri, set.Socket)
	if err != nil {
		return err
	}
	log.Info("charond starting", "version", daemon.Version, "uri", uri, "settings", set.File,
		"ike", set.IKE.Enabled)

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	// SIGHUP reloads run here, not in the signal loop: a slow reload (a
	// huge file, a FIFO) must not hold up SIGTERM. One pending reload is
	// enough however many SIGHUPs arrive meanwhile.
	hup := make(chan struct{}, 1)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
			}
			if err := reload(); err != nil {
				log.Error("reloading settings failed", "subsys", "cfg", "err", err)
			} else {
				log.Info("settings reloaded", "subsys", "cfg", "file", file)
			}
		}
	}()
	for {
		select {
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				select {
				case hup <- struct{}{}:
				default:
				}
				continue
			}
			log.Info("signal received, shutting down", "signal", sig.String())
			stopIKE() // deletes the SAs while VICI still serves
			srv.Close()
			<-done
			log.Info("charond stopped")
			return nil
		case err := <-done:
			if errors.Is(err, vici.ErrServerClosed) {
				return nil
			}
			return err
		}
	}
}

// startIKE runs the IKE server when the settings ask for it and returns
// what stops it: the SAs are deleted (leases go offline, virtual IPs and
// routes go), then the sockets close. Without IKE it does nothing.
func startIKE(ctx context.Context, set settings.IKE, d *daemon.Daemon, srv *vici.Server,
	log *slog.Logger) (func(), error) {
	if !set.Enabled {
		return func() {}, nil
	}
	addrs := set.Listen
	if len(addrs) == 0 {
		var err error
		if addrs, err = ike.LocalAddrs(); err != nil {
			return nil, err
		}
	}
	var closers []func()
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	o := daemon.IKEOptions{Emit: srv.Broadcast, Subscribed: srv.HasSubscribers,
		Server: ike.Options{Log: log, NATTPort: set.PortNATT,
			RetransmitTimeout: set.RetransmitTimeout, RetransmitTries: set.RetransmitTries,
			HalfOpenLimit: set.HalfOpenLimit, IKESALimit: set.IKESALimit}}
	switch set.Dataplane {
	case settings.DataplaneXFRM:
		x, err := kernel.NewXFRM()
		if err != nil {
			return nil, err
		}
		closers = append(closers, x.Close)
		o.Server.Dataplane = &daemon.XFRMDataplane{X: x}
	default:
		log.Warn("charond.dataplane = none: CHILD_SAs are negotiated but not installed, "+
			"traffic is not protected", "subsys", "ike")
	}
	if set.InstallVIP {
		k, err := kernel.NewNetlink()
		if err != nil {
			closeAll()
			return nil, err
		}
		closers = append(closers, k.Close)
		ko := kernel.Options{Kernel: k, Interface: set.VIPInterface, Table: set.Table,
			Prio: set.Prio, Log: log}
		// Received DNS servers go to the file named in strongswan.conf, else
		// to resolvconf where it is installed, else nowhere: charond never
		// rewrites /etc/resolv.conf unless told to.
		if set.DNSFile != "" {
			ko.DNS = &kernel.ResolvFile{Path: set.DNSFile, Log: log}
		} else if p, err := exec.LookPath("resolvconf"); err == nil {
			ko.DNS = &kernel.Resolvconf{Command: p, Log: log}
		}
		vips := kernel.NewManager(ko)
		if err := vips.Start(); err != nil { // flushes a crashed run's leftovers
			closeAll()
			return nil, err
		}
		closers = append(closers, func() {
			if err := vips.Close(); err != nil {
				log.Error("removing virtual IPs failed", "subsys", "knl", "err", err)
			}
		})
		o.Server.VirtualIPs = vips
	}
	listen := ike.ListenAddrs(addrs, set.Port, set.PortNATT)
	socks, err := ike.Bind(listen...)
	if err != nil {
		closeAll()
		return nil, err
	}
	ikeSrv := d.NewIKE(o)
	serveCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- ikeSrv.ServeSockets(serveCtx, socks) }()
	log.Info("IKE listening", "subsys", "net", "addrs", fmt.Sprint(listen))
	var once sync.Once
	return func() {
		once.Do(func() {
			sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := ikeSrv.Shutdown(sctx); err != nil {
				log.Info("SAs deleted without the peers' confirmation", "subsys", "ike",
					"err", err)
			}
			scancel()
			cancel()
			if err := <-done; err != nil {
				log.Error("IKE sockets failed", "subsys", "net", "err", err)
			}
			closeAll()
		})
	}, nil
}
