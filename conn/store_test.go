package conn

import (
	"slices"
	"sync"
	"testing"
)

func mustParse(t *testing.T, name string, e ...Entry) *Config {
	t.Helper()
	c, err := Parse(name, e)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func section(name string, e ...Entry) Entry {
	return Entry{Name: name, Kind: KindSection, Section: e}
}

func value(name, v string) Entry { return Entry{Name: name, Kind: KindValue, Value: v} }

func TestStoreChanges(t *testing.T) {
	s := NewStore()
	child := func(ts string) Entry {
		return section("children", section("net",
			Entry{Name: "local_ts", Kind: KindList, Items: []string{ts}}))
	}
	tests := []struct {
		name  string
		conn  *Config
		want  Change
		order []string
	}{
		{"first", mustParse(t, "a", child("10.0.0.0/8")), Added, []string{"a"}},
		{"second", mustParse(t, "b"), Added, []string{"a", "b"}},
		{"children only", mustParse(t, "a", child("10.1.0.0/16")), Updated, []string{"a", "b"}},
		{"ike change", mustParse(t, "a", value("version", "2")), Replaced, []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Load(tt.conn); got != tt.want {
				t.Errorf("Load = %v, want %v", got, tt.want)
			}
			if got := s.Names(); !slices.Equal(got, tt.order) {
				t.Errorf("Names = %v, want %v", got, tt.order)
			}
		})
	}
	if !s.Unload("a") || s.Unload("a") {
		t.Fatal("Unload reports wrongly")
	}
	s.Load(mustParse(t, "a"))
	if got := s.Names(); !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("after reload: %v", got)
	}
}

func TestDefaults(t *testing.T) {
	c := mustParse(t, "x", section("children", section("c", value("life_time", "1800"))),
		value("reauth_time", "3h"))
	ch := c.Child("c")
	if c.RekeyTime != 0 || c.ReauthTime != 10800 || len(c.Local) != 1 || len(c.Remote) != 1 {
		t.Errorf("ike defaults: rekey %d reauth %d", c.RekeyTime, c.ReauthTime)
	}
	// 5.9.8 keeps rekey_time at one hour when only life_time is set
	if ch.RekeyTime != 3600 || ch.LifeTime != 1800 || ch.Mode != "tunnel" {
		t.Errorf("child: rekey %d life %d mode %s", ch.RekeyTime, ch.LifeTime, ch.Mode)
	}
}

func TestStoreConcurrent(t *testing.T) {
	s := NewStore()
	c := mustParse(t, "a")
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range 100 {
				s.Load(c)
				s.Unload("a")
			}
		}()
		go func() {
			defer wg.Done()
			for range 100 {
				for _, x := range s.Snapshot() {
					if x == nil {
						t.Error("nil config in snapshot")
					}
				}
			}
		}()
	}
	wg.Wait()
}

// TestStoreUnloadKeepsOrder unloads enough to squeeze the holes out and
// checks order and lookups on either side of it.
func TestStoreUnloadKeepsOrder(t *testing.T) {
	s := NewStore()
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		s.Load(mustParse(t, n))
	}
	s.Unload("b")
	if got := s.Names(); !slices.Equal(got, []string{"a", "c", "d", "e"}) {
		t.Errorf("after one unload: %v", got)
	}
	s.Unload("d")
	s.Unload("c") // compacts
	s.Load(mustParse(t, "b"))
	s.Load(mustParse(t, "a", value("version", "2")))
	if got := s.Names(); !slices.Equal(got, []string{"a", "e", "b"}) {
		t.Errorf("after compaction: %v", got)
	}
	for _, n := range []string{"a", "e", "b"} {
		if c, ok := s.Get(n); !ok || c.Name != n {
			t.Errorf("Get(%q) = %v, %v", n, c, ok)
		}
	}
	if _, ok := s.Get("c"); ok {
		t.Error("Get finds an unloaded connection")
	}
	if got := len(s.Snapshot()); got != 3 {
		t.Errorf("Snapshot has %d connections, want 3", got)
	}
}
