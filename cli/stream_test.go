package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charond/charond/vici"
)

// A listing hands over every event in order however many there are, which
// govici v0.8.0's streaming cannot promise.
func TestListConnsComplete(t *testing.T) {
	const n = 20000
	d := newFakeDaemon(t)
	d.handle("list-conns", func(_ *vici.Message, emit func(string, *vici.Message)) *vici.Message {
		for i := 0; i < n; i++ {
			m := vici.NewMessage()
			m.AddSection(fmt.Sprintf("c%d", i)).Set("version", "IKEv2")
			emit("list-conn", m)
		}
		return nil
	})
	r := runSwanctl(t, nil, "--list-conns", "--raw", "-u", d.uri)
	lines := strings.Split(strings.TrimSuffix(r.out, "\n"), "\n")
	if r.rc != 0 || len(lines) != n+1 {
		t.Fatalf("rc %d, %d lines, stderr %q", r.rc, len(lines), r.err)
	}
	for i := 0; i < n; i++ {
		want := fmt.Sprintf("list-conn event {c%d {version=IKEv2}}", i)
		if lines[i] != want {
			t.Fatalf("line %d: %q, want %q", i, lines[i], want)
		}
	}
	if lines[n] != "list-conns reply {}" {
		t.Errorf("last line %q", lines[n])
	}
}

func TestCommands(t *testing.T) {
	version := vici.NewMessage().Set("daemon", "charon").Set("version", "5.9.8").
		Set("sysname", "Linux").Set("release", "6.1").Set("machine", "x86_64")
	stats := vici.NewMessage()
	stats.AddSection("uptime").Set("running", "88 seconds").Set("since", "Dec 04 15:16:25 2026")
	w := stats.AddSection("workers").Set("total", "16").Set("idle", "7")
	w.AddSection("active").Set("critical", "4").Set("high", "0").Set("medium", "5").
		Set("low", "0")
	stats.AddSection("queues").Set("critical", "0").Set("high", "0").Set("medium", "0").
		Set("low", "0")
	stats.Set("scheduled", "0")
	stats.AddSection("ikesas").Set("total", "0").Set("half-open", "0")
	stats.SetList("plugins", []string{"charon", "random"})
	tests := []struct {
		name     string
		replies  map[string]*vici.Message
		args     []string
		out, err string
		rc       int
	}{
		{"version", nil, []string{"--version"}, "strongSwan swanctl 5.9.8\n", "", 0},
		{"daemon version", map[string]*vici.Message{"version": version},
			[]string{"-v", "-d"}, "strongSwan 5.9.8 charon (Linux, 6.1, x86_64)\n", "", 0},
		{"daemon version raw", map[string]*vici.Message{"version": version},
			[]string{"--version", "--daemon", "--raw"}, "version reply {daemon=charon " +
				"version=5.9.8 sysname=Linux release=6.1 machine=x86_64}\n", "", 0},
		{"stats", map[string]*vici.Message{"stats": stats}, []string{"--stats"},
			"uptime: 88 seconds, since Dec 04 15:16:25 2026\n" +
				"worker threads: 16 total, 7 idle, working: 4/0/5/0\n" +
				"job queues: 0/0/0/0\njobs scheduled: 0\nIKE_SAs: 0 total, 0 half-open\n" +
				"loaded plugins: charon random\n", "", 0},
		{"reload-settings", map[string]*vici.Message{"reload-settings": success()},
			[]string{"--reload-settings"}, "", "", 0},
		{"reload-settings failed", map[string]*vici.Message{"reload-settings": failure("x")},
			[]string{"--reload-settings"}, "", "reload-settings failed: x\n", 1},
		{"reload-settings failed raw",
			map[string]*vici.Message{"reload-settings": failure("x")},
			[]string{"--reload-settings", "-r"},
			"reload-settings reply {success=no errmsg=x}\n", "", 0},
		{"unknown command", nil, []string{"--stats"}, "",
			"stats request failed: No such file or directory\n", 2},
		{"list-pools with filter", map[string]*vici.Message{"get-pools": poolsReply(false)},
			[]string{"--list-pools", "--name", "rw_pool_v4", "-l"},
			"rw_pool_v4           10.3.0.0                             1 / 0 / 14\n" +
				"rw_pool_v6           fec3::                              0 / 0 / 254\n", "", 0},
		{"cluster tail ignored", map[string]*vici.Message{"get-pools": vici.NewMessage()},
			[]string{"-Ar"}, "", "", 0},
		{"pretty wins", map[string]*vici.Message{"get-pools": vici.NewMessage()},
			[]string{"-A", "-P", "-r"}, "get-pools reply {\n}\n", "", 0},
		{"extension: bare command", map[string]*vici.Message{"get-pools": vici.NewMessage()},
			[]string{"list-pools", "--raw"}, "get-pools reply {}\n", "", 0},
		{"rekey", map[string]*vici.Message{"rekey": success()},
			[]string{"--rekey", "--ike", "rw"}, "rekey completed successfully\n", "", 0},
		{"install failed", map[string]*vici.Message{"install": failure("no")},
			[]string{"--install", "--child", "net"}, "", "install failed: no\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newFakeDaemon(t)
			for cmd, m := range tt.replies {
				d.reply(cmd, m)
			}
			r := runSwanctl(t, nil, append(tt.args, "-u", d.uri)...)
			if r.out != tt.out || r.err != tt.err || r.rc != tt.rc {
				t.Errorf("got rc %d\nstdout:\n%s\nstderr:\n%s\nwant rc %d\nstdout:\n%s\nstderr:\n%s",
					r.rc, r.out, r.err, tt.rc, tt.out, tt.err)
			}
		})
	}
}

// The global options may come first (an extension), and the request
// carries what the options say.
func TestLeadingGlobalsAndRequest(t *testing.T) {
	d := newFakeDaemon(t)
	d.reply("get-pools", vici.NewMessage())
	r := runSwanctl(t, nil, "--uri", d.uri, "--list-pools", "--leases", "--name", "p")
	if r.rc != 0 || r.err != "" {
		t.Fatalf("rc %d, stderr %q", r.rc, r.err)
	}
	if got := d.log(); len(got) != 1 || got[0] != "get-pools {leases=yes name=p}" {
		t.Errorf("calls %q", got)
	}
}
