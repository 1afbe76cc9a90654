package settings

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charond/charond/vici"
)

func write(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "strongswan.conf")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoad(t *testing.T) {
	p := write(t, `
charon {
	plugins {
		vici {
			socket = unix:///tmp/x/charon.vici
		}
	}
}
charond {
	log_level = debug
	vici {
		max_clients = 0x10
		write_timeout = 2m
		read_timeout = 5s
		queue_size = 65536
		socket_user = 0
		socket_group = 0
	}
}
`)
	s, err := Load(p, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.URI != "unix:///tmp/x/charon.vici" || s.LogLevel != slog.LevelDebug ||
		s.Limits.MaxClients != 16 || s.Limits.WriteTimeout != 2*time.Minute ||
		s.Limits.ReadTimeout != 5*time.Second || s.Limits.QueueBytes != 65536 ||
		s.Socket.UID != 0 || s.Socket.GID != 0 {
		t.Fatalf("settings = %+v", s)
	}
	if s.Limits.MaxFrame != vici.MaxFrameSize {
		t.Fatalf("default frame limit changed: %d", s.Limits.MaxFrame)
	}
}

func TestLoadMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.conf")
	s, err := Load(missing, true)
	if err != nil || s.URI != vici.DefaultURI {
		t.Fatalf("missing file, allowed: %+v, %v", s, err)
	}
	if _, err := Load(missing, false); err == nil {
		t.Fatal("missing explicit file accepted")
	}
}

func TestLoadErrors(t *testing.T) {
	tests := map[string]string{
		"syntax":      "charon {\n",
		"bad uri":     "charon.plugins.vici.socket = x",
		"bad level":   "charond { log_level = loud }",
		"bad int":     "charond { vici { max_clients = many } }",
		"zero int":    "charond { vici { max_reply_size = 0 } }",
		"bad bool":    "charond { vici { allow_remote_tcp = perhaps } }",
		"bad timeout": "charond { vici { write_timeout = soon } }",
		"zero read":   "charond { vici { read_timeout = 0 } }",
		"bad user":    "charond { vici { socket_user = no-such-user-here } }",
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			if name == "bad uri" {
				content = "charon {\n plugins {\n vici {\n socket = x\n }\n }\n}\n"
			}
			p := write(t, content)
			if s, err := Load(p, true); err == nil {
				t.Fatalf("Load = %+v, want error", s)
			} else if !strings.Contains(err.Error(), "settings:") {
				t.Fatalf("error lacks prefix: %v", err)
			}
		})
	}
}
