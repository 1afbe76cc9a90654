package daemon

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/charond/charond/vici"
)

// Version is charond's version, reported by the version command.
const Version = "0.1.0"

func (d *Daemon) registerQuery(r vici.Registrar) {
	r.Handle("version", d.version)
	r.Handle("stats", d.stats)
	r.Handle("reload-settings", d.reloadSettings)
}

func (d *Daemon) version(context.Context, *vici.Request) *vici.Message {
	v := d.opts.Version
	if v == "" {
		v = Version
	}
	m := vici.NewMessage().Set("daemon", "charond").Set("version", v)
	var u syscall.Utsname
	if syscall.Uname(&u) == nil {
		m.Set("sysname", utsString(u.Sysname[:])).
			Set("release", utsString(u.Release[:])).
			Set("machine", utsString(u.Machine[:]))
	}
	return m
}

func utsString(b []int8) string {
	s := make([]byte, 0, len(b))
	for _, c := range b {
		if c == 0 {
			break
		}
		s = append(s, byte(c))
	}
	return string(s)
}

func (d *Daemon) stats(context.Context, *vici.Request) *vici.Message {
	now := time.Now()
	m := vici.NewMessage()
	m.AddSection("uptime").
		Set("running", humanDuration(now.Sub(d.started))).
		Set("since", d.started.Format("Jan 02 15:04:05 2006"))
	// charond has no worker pool or job queues: each client is served by
	// its own goroutine. The keys stay so that clients parse the reply.
	procs := strconv.Itoa(runtime.GOMAXPROCS(0))
	w := m.AddSection("workers").Set("total", procs).Set("idle", procs)
	zeroPriorities(w.AddSection("active"))
	zeroPriorities(m.AddSection("queues"))
	m.Set("scheduled", "0")
	total, half := 0, 0
	if c, ok := d.sas.(interface{ Counts() (int, int) }); ok {
		total, half = c.Counts()
	}
	m.AddSection("ikesas").Set("total", strconv.Itoa(total)).
		Set("half-open", strconv.Itoa(half))
	m.SetList("plugins", []string{"charond", "vici"})

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	// Go's heap in the shape of charon's mallinfo: memory from the OS,
	// memory in use and memory free for reuse.
	m.AddSection("mallinfo").
		Set("sbrk", u64(ms.HeapSys)).
		Set("mmap", u64(ms.Sys-ms.HeapSys)).
		Set("used", u64(ms.HeapInuse)).
		Set("free", u64(ms.HeapIdle))
	rt := m.AddSection("charond").
		Set("goroutines", strconv.Itoa(runtime.NumGoroutine())).
		Set("heap-alloc", u64(ms.HeapAlloc)).
		Set("sys", u64(ms.Sys)).
		Set("gc-cycles", strconv.FormatUint(uint64(ms.NumGC), 10))
	if d.opts.Runtime != nil {
		d.opts.Runtime(rt)
	}
	return m
}

func zeroPriorities(m *vici.Message) {
	m.Set("critical", "0").Set("high", "0").Set("medium", "0").Set("low", "0")
}

func u64(v uint64) string { return strconv.FormatUint(v, 10) }

// humanDuration renders an uptime as charon does: whole days above two
// days, whole hours above two hours, whole minutes above two minutes, else
// seconds, with a plural s unless the number is 1.
func humanDuration(d time.Duration) string {
	secs := int64(d / time.Second)
	n, unit := secs, "second"
	switch {
	case secs > 2*86400:
		n, unit = secs/86400, "day"
	case secs > 2*3600:
		n, unit = secs/3600, "hour"
	case secs > 2*60:
		n, unit = secs/60, "minute"
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}

func (d *Daemon) reloadSettings(context.Context, *vici.Request) *vici.Message {
	if d.opts.Reload == nil {
		return vici.Success()
	}
	if err := d.opts.Reload(); err != nil {
		d.log.Error("reloading settings failed", "subsys", "cfg", "err", err)
		return vici.Failure(fmt.Sprintf("reloading '%s' failed", d.opts.SettingsFile))
	}
	d.log.Info("settings reloaded", "subsys", "cfg", "file", d.opts.SettingsFile)
	return vici.Success()
}
