package creds

import (
	"sync"
	"testing"
)

func TestLookup(t *testing.T) {
	st := NewStore()
	st.Add(Shared{ID: "any", Type: IKE, Data: []byte("wild")})
	st.Add(Shared{ID: "moon", Type: IKE, Data: []byte("gw"),
		Owners: []string{"moon.example.org", "carol@example.org"}})
	st.Add(Shared{ID: "eap", Type: EAP, Data: []byte("pw"), Owners: []string{"carol@example.org"}})
	tests := []struct {
		name          string
		typ           Type
		local, remote string
		want          string // data, "" for none
	}{
		{"exact pair beats any", IKE, "moon.example.org", "carol@example.org", "gw"},
		{"one exact, one any", IKE, "moon.example.org", "dave@example.org", "wild"},
		{"unknown remote", IKE, "moon.example.org", "", "gw"},
		{"strangers get any", IKE, "x", "y", "wild"},
		{"case-insensitive", IKE, "MOON.example.org", "Carol@Example.org", "gw"},
		{"type filter", EAP, "carol@example.org", "", "pw"},
		{"no match", EAP, "dave@example.org", "", ""},
		{"no ppk", PPK, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := st.Lookup(tt.typ, tt.local, tt.remote)
			got := ""
			if ok {
				got = string(s.Data)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAddReplaceRemove(t *testing.T) {
	st := NewStore()
	st.Add(Shared{ID: "a", Type: IKE, Data: []byte("1")})
	st.Add(Shared{Type: IKE, Data: []byte("anon")})
	st.Add(Shared{ID: "b", Type: IKE, Data: []byte("2")})
	st.Add(Shared{ID: "a", Type: EAP, Data: []byte("3")})
	if got := st.IDs(); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("IDs %v, want [a b]", got)
	}
	if s, ok := st.Lookup(EAP, "", ""); !ok || string(s.Data) != "3" {
		t.Errorf("replaced secret not found")
	}
	if st.Remove("nope") || !st.Remove("a") || st.Remove("a") {
		t.Error("Remove reports wrongly")
	}
}

func TestParseType(t *testing.T) {
	for in, want := range map[string]Type{"IKE": IKE, "eap": EAP, "Xauth": XAuth, "ppk": PPK} {
		if got, err := ParseType(in); err != nil || got != want {
			t.Errorf("ParseType(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseType("bogus"); err == nil {
		t.Error("bogus accepted")
	}
}

func TestConcurrent(t *testing.T) {
	st := NewStore()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 100 {
				st.Add(Shared{ID: string(rune('a' + i)), Type: IKE, Data: []byte{byte(j)}})
				st.Lookup(IKE, "x", "y")
				st.IDs()
			}
		}()
	}
	wg.Wait()
	if n := len(st.IDs()); n != 8 {
		t.Errorf("%d ids, want 8", n)
	}
}
