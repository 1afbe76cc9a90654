package config

import (
	"os"
	"slices"
	"testing"
	"time"
)

const refsConf = `
conn-base {
   version = 2
   pools = pool_v4, pool_v6
   children { net { local_ts = 10.1.0.0/16
                    mode = tunnel } }
}
connections {
   base { version = 1 }
   rw : conn-base {
      local { auth = pubkey }
      version = 1
      children { net { mode = transport }
                 extra { } }
   }
   rel : base { }
   fwd : later.tmpl { }
   loop1 : connections.loop2 { a = 1 }
   loop2 : connections.loop1 { b = 2 }
   self : connections.self { c = 3 }
   multi : one, two { }
   nested : connections.rw.children { }
}
later { tmpl { from_later = yes } }
one { k = 1
      s { x = 1 } }
two { k = 2
      j = 2
      s { y = 2 }
      t { } }
charon {
   plugins { vici { socket = unix:///tmp/x.sock } }
   flag = yes
   num = 0x10
   time = 5m
   bad = maybe
}
`

func TestSectionViews(t *testing.T) {
	s, _, err := Parse("refs.conf", []byte(refsConf))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path     string
		keys     []string
		sections []string
	}{
		{"connections", nil, []string{"base", "rw", "rel", "fwd", "loop1", "loop2",
			"self", "multi", "nested"}},
		{"connections.rw", []string{"version", "pools"}, []string{"local", "children"}},
		{"connections.rw.children", nil, []string{"net", "extra"}},
		{"connections.rw.children.net", []string{"mode", "local_ts"}, nil},
		{"connections.rel", nil, nil},
		{"connections.fwd", []string{"from_later"}, nil},
		{"connections.loop1", []string{"a", "b"}, nil},
		{"connections.loop2", []string{"b", "a"}, nil},
		{"connections.self", []string{"c"}, nil},
		{"connections.multi", []string{"k", "j"}, []string{"s", "t"}},
		{"connections.multi.s", []string{"x", "y"}, nil},
		{"connections.nested", nil, []string{"net", "extra"}},
		{"missing", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			sec := s.Path(tt.path)
			if got := sec.Keys(); !slices.Equal(got, tt.keys) {
				t.Errorf("keys %q, want %q", got, tt.keys)
			}
			if got := sec.Sections(); !slices.Equal(got, tt.sections) {
				t.Errorf("sections %q, want %q", got, tt.sections)
			}
		})
	}
}

func TestGet(t *testing.T) {
	s, _, err := Parse("refs.conf", []byte(refsConf))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, want string
		ok         bool
	}{
		{"connections.rw.version", "1", true},
		{"connections.rw.pools", "pool_v4, pool_v6", true},
		{"connections.rw.children.net.mode", "transport", true},
		{"connections.rw.children.net.local_ts", "10.1.0.0/16", true},
		{"connections.rel.version", "", false},
		{"connections.multi.k", "1", true},
		{"connections.loop1.b", "2", true},
		{"charon.plugins.vici.socket", "unix:///tmp/x.sock", true},
		{"charon.plugins.vici.missing", "", false},
		{"nothing.at.all", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, ok := s.Get(tt.path)
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %q %v, want %q %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestTypedLookups(t *testing.T) {
	s, _, err := Parse("refs.conf", []byte(refsConf))
	if err != nil {
		t.Fatal(err)
	}
	if !s.Bool("charon.flag", false) || s.Bool("charon.bad", false) || !s.Bool("charon.none", true) {
		t.Error("Bool lookups")
	}
	if s.Int("charon.num", 0) != 16 || s.Int("charon.bad", 7) != 7 {
		t.Error("Int lookups")
	}
	if s.Duration("charon.time", 0) != 5*time.Minute ||
		s.Duration("charon.bad", time.Hour) != time.Hour {
		t.Error("Duration lookups")
	}
	if s.String("charon.plugins.vici.socket", "d") != "unix:///tmp/x.sock" ||
		s.String("x", "d") != "d" {
		t.Error("String lookups")
	}
}

func TestParseValues(t *testing.T) {
	bools := []struct {
		in   string
		want bool
		ok   bool
	}{
		{"yes", true, true}, {"TRUE", true, true}, {"Enabled", true, true}, {"1", true, true},
		{"no", false, true}, {"False", false, true}, {"disabled", false, true}, {"0", false, true},
		{"2", false, false}, {"", false, false},
	}
	for _, tt := range bools {
		t.Run("bool "+tt.in, func(t *testing.T) {
			got, err := ParseBool(tt.in)
			if got != tt.want || (err == nil) != tt.ok {
				t.Errorf("got %v, %v", got, err)
			}
		})
	}
	ints := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"42", 42, true}, {"-7", -7, true}, {"0x1F", 31, true}, {"0X10", 16, true},
		{"", 0, false}, {"0x", 0, false}, {"1_000", 0, false}, {"12a", 0, false}, {"--1", 0, false},
	}
	for _, tt := range ints {
		t.Run("int "+tt.in, func(t *testing.T) {
			got, err := ParseInt(tt.in)
			if got != tt.want || (err == nil) != tt.ok {
				t.Errorf("got %v, %v", got, err)
			}
		})
	}
	durs := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30", 30 * time.Second, true}, {"30s", 30 * time.Second, true},
		{"2m", 2 * time.Minute, true}, {"3 h", 3 * time.Hour, true}, {"1d", 24 * time.Hour, true},
		{"", 0, false}, {"5x", 0, false}, {"-1s", 0, false}, {"1.5h", 0, false},
	}
	for _, tt := range durs {
		t.Run("duration "+tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if got != tt.want || (err == nil) != tt.ok {
				t.Errorf("got %v, %v", got, err)
			}
		})
	}
}

func TestBaseDir(t *testing.T) {
	tests := []struct {
		name, file, env string
		set             bool
		want            string
	}{
		{"file wins", "/a/b/swanctl.conf", "/env", true, "/a/b"},
		{"relative file", "swanctl.conf", "/env", true, "."},
		{"env", "", "/env", true, "/env"},
		{"empty env", "", "", true, "."},
		{"default", "", "", false, DefaultDir},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("SWANCTL_DIR", tt.env)
			if !tt.set {
				unsetEnv(t, "SWANCTL_DIR")
			}
			if got := BaseDir(tt.file); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// unsetEnv removes key for the rest of the test; t.Setenv has already
// arranged for the old value to come back.
func unsetEnv(t *testing.T, key string) {
	t.Helper()
	if err := os.Unsetenv(key); err != nil {
		t.Fatal(err)
	}
}
