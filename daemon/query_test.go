package daemon

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charond/charond/vici"
)

func TestVersion(t *testing.T) {
	_, h := newTestDaemon(t, Options{})
	r, _ := h.call(t, "version", nil)
	if got := strings.Join(r.Keys(), ","); got != "daemon,version,sysname,release,machine" {
		t.Fatalf("keys = %s", got)
	}
	if v, _ := r.Get("daemon"); v != "charond" {
		t.Fatalf("daemon = %q", v)
	}
	if v, _ := r.Get("version"); v != Version {
		t.Fatalf("version = %q", v)
	}
}

func TestStatsKeys(t *testing.T) {
	_, h := newTestDaemon(t, Options{})
	r, _ := h.call(t, "stats", nil)
	// strongSwan's keys in strongSwan's order, then charond's own section.
	want := "uptime,workers,queues,scheduled,ikesas,plugins,mallinfo,charond"
	if got := strings.Join(r.Keys(), ","); got != want {
		t.Fatalf("keys = %s, want %s", got, want)
	}
	sub := map[string]string{
		"uptime":   "running,since",
		"workers":  "total,idle,active",
		"queues":   "critical,high,medium,low",
		"ikesas":   "total,half-open",
		"mallinfo": "sbrk,mmap,used,free",
	}
	for sec, keys := range sub {
		if got := strings.Join(r.Section(sec).Keys(), ","); got != keys {
			t.Errorf("%s keys = %s, want %s", sec, got, keys)
		}
	}
	if got := strings.Join(r.Section("workers").Section("active").Keys(), ","); got !=
		"critical,high,medium,low" {
		t.Errorf("workers.active keys = %s", got)
	}
	if p, _ := r.List("plugins"); len(p) == 0 || p[0] != "charond" {
		t.Errorf("plugins = %v", p)
	}
}

func TestHumanDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0 seconds"},
		{time.Second, "1 second"},
		{120 * time.Second, "120 seconds"},
		{121 * time.Second, "2 minutes"},
		{2 * time.Hour, "120 minutes"},
		{2*time.Hour + time.Second, "2 hours"},
		{47 * time.Hour, "47 hours"},
		{48*time.Hour + time.Second, "2 days"},
		{72 * time.Hour, "3 days"},
	}
	for _, tt := range tests {
		if got := humanDuration(tt.d); got != tt.want {
			t.Errorf("humanDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestReloadSettings(t *testing.T) {
	fail := errors.New("broken")
	var err error
	_, h := newTestDaemon(t, Options{SettingsFile: "/x/strongswan.conf",
		Reload: func() error { return err }})
	r, _ := h.call(t, "reload-settings", vici.NewMessage())
	if v, _ := r.Get("success"); v != "yes" {
		t.Fatalf("reply = %v", r.Keys())
	}
	err = fail
	r, _ = h.call(t, "reload-settings", vici.NewMessage())
	if v, _ := r.Get("errmsg"); v != "reloading '/x/strongswan.conf' failed" {
		t.Fatalf("errmsg = %q", v)
	}
}
