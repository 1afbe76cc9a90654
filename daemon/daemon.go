package daemon

import (
	"log/slog"
	"time"

	"github.com/charond/charond/conn"
	"github.com/charond/charond/creds"
	"github.com/charond/charond/vici"
)

// Options configure a Daemon.
type Options struct {
	Logger *slog.Logger
	// Version is charond's own version, reported by the version command.
	Version string
	// Reload re-reads strongswan.conf for reload-settings; nil means there
	// is nothing to reload and the command succeeds.
	Reload func() error
	// SettingsFile names the file Reload reads, for its error message.
	SettingsFile string
	// Runtime adds the server's own figures (clients, say) to stats.
	Runtime func(m *vici.Message)
}

// Daemon holds the stores behind the VICI commands.
type Daemon struct {
	log     *slog.Logger
	opts    Options
	started time.Time

	// Stores, one owner each; every command family has its own.
	pools    *poolStore         // load-pool, unload-pool, get-pools
	conns    *conn.Store        // load-conn, list-conns and the like
	creds    *creds.Store       // shared secrets, certificates, keys
	auths    *creds.Authorities // load-authority, list-authorities
	sas      SAManager          // initiate, terminate, list-sas and the like
	counters *counterStore      // get-counters, reset-counters
}

// New returns a daemon with empty stores.
func New(opts Options) *Daemon {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	d := &Daemon{log: opts.Logger, opts: opts, started: time.Now()}
	d.pools = newPoolStore()
	d.conns = conn.NewStore()
	d.creds = creds.NewStore()
	d.auths = creds.NewAuthorities()
	d.sas = noSAs{}
	d.counters = newCounterStore()
	return d
}

// Register installs every command handler on r.
func (d *Daemon) Register(r vici.Registrar) {
	d.registerQuery(r)
	d.registerPools(r)
	d.registerConns(r)
	d.registerCreds(r)
	d.registerAuthorities(r)
	d.registerSAs(r)
	d.registerAlgorithms(r)
	d.registerCounters(r)
}
