package settings

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/charond/charond/config"
	"github.com/charond/charond/vici"
)

// DefaultFile is where charon reads strongswan.conf.
const DefaultFile = "/etc/strongswan.conf"

// Settings are charond's settings after defaults are applied.
type Settings struct {
	File     string     // the file read ("" if none existed)
	URI      string     // charon.plugins.vici.socket
	LogLevel slog.Level // charond.log_level
	Limits   vici.Limits
	Socket   vici.ListenOptions
	IKE      IKE
	Warnings []string // include patterns that matched nothing
}

// Default returns the settings of an empty strongswan.conf.
func Default() *Settings {
	return &Settings{
		URI:      vici.DefaultURI,
		LogLevel: slog.LevelInfo,
		Limits:   vici.DefaultLimits,
		Socket:   vici.ListenOptions{UID: -1, GID: -1},
		IKE:      DefaultIKE(),
	}
}

// Load reads path. A missing file is not an error when missingOK is set
// (charon starts without /etc/strongswan.conf); a syntax error or a bad
// value always is.
func Load(path string, missingOK bool) (*Settings, error) {
	s := Default()
	tree, warns, err := config.ParseFile(path)
	if err != nil {
		if missingOK && errors.Is(err, fs.ErrNotExist) {
			return s, nil
		}
		return nil, fmt.Errorf("settings: %w", err)
	}
	s.File, s.Warnings = path, warns
	if err := s.apply(tree.Section); err != nil {
		return nil, fmt.Errorf("settings: %s: %w", path, err)
	}
	return s, nil
}

func (s *Settings) apply(root config.Section) error {
	if v, ok := root.Get("charon.plugins.vici.socket"); ok && v != "" {
		if _, _, err := vici.ParseURI(v); err != nil {
			return fmt.Errorf("charon.plugins.vici.socket: %w", err)
		}
		s.URI = v
	}
	if err := s.applyIKE(root); err != nil {
		return err
	}
	c := root.Path("charond")
	if v, ok := c.Value("log_level"); ok {
		lvl, err := ParseLevel(v)
		if err != nil {
			return fmt.Errorf("charond.log_level: %w", err)
		}
		s.LogLevel = lvl
	}
	ints := []struct {
		key string
		dst *int
	}{
		{"vici.max_message_size", &s.Limits.MaxFrame},
		{"vici.max_reply_size", &s.Limits.MaxReply},
		{"vici.max_depth", &s.Limits.MaxDepth},
		{"vici.max_elements", &s.Limits.MaxElements},
		{"vici.max_clients", &s.Limits.MaxClients},
		{"vici.queue_size", &s.Limits.QueueBytes},
		{"vici.total_queue_size", &s.Limits.TotalQueueBytes},
	}
	for _, i := range ints {
		v, ok := c.Get(i.key)
		if !ok {
			continue
		}
		n, err := config.ParseInt(v)
		if err != nil || n <= 0 || n > 1<<30 {
			return fmt.Errorf("charond.%s: invalid value %q", i.key, v)
		}
		*i.dst = int(n)
	}
	durations := []struct {
		key string
		dst *time.Duration
	}{
		{"vici.write_timeout", &s.Limits.WriteTimeout},
		{"vici.read_timeout", &s.Limits.ReadTimeout},
	}
	for _, d := range durations {
		v, ok := c.Get(d.key)
		if !ok {
			continue
		}
		n, err := config.ParseDuration(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("charond.%s: invalid value %q", d.key, v)
		}
		*d.dst = n
	}
	if v, ok := c.Get("vici.allow_remote_tcp"); ok {
		b, err := config.ParseBool(v)
		if err != nil {
			return fmt.Errorf("charond.vici.allow_remote_tcp: invalid value %q", v)
		}
		s.Socket.AllowRemoteTCP = b
	}
	return s.socketOwner(c)
}

// ParseLevel reads a log level name: debug, info, warn or error.
func ParseLevel(v string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(v))); err != nil {
		return 0, fmt.Errorf("unknown log level %q (want debug, info, warn or error)", v)
	}
	return l, nil
}

// FileFromEnv returns the strongswan.conf path charon would read:
// STRONGSWAN_CONF if set, else the default.
func FileFromEnv() (path string, explicit bool) {
	if p := os.Getenv("STRONGSWAN_CONF"); p != "" {
		return p, true
	}
	return DefaultFile, false
}
