package creds

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"sync"
	"testing"

	"github.com/charond/charond/identity"
)

func id(s string) identity.Identity { return identity.Parse(s) }

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
		{"remote %any prefers an %any owner", IKE, "moon.example.org", "", "wild"},
		{"strangers get any", IKE, "x", "y", "wild"},
		{"case-insensitive", IKE, "MOON.example.org", "Carol@Example.org", "gw"},
		{"type filter", EAP, "carol@example.org", "", "pw"},
		{"no match", EAP, "dave@example.org", "", ""},
		{"no ppk", PPK, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := st.Lookup(tt.typ, id(tt.local), id(tt.remote))
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
	if s, ok := st.Lookup(EAP, id(""), id("")); !ok || string(s.Data) != "3" {
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
				st.Lookup(IKE, id("x"), id("y"))
				st.IDs()
			}
		}()
	}
	wg.Wait()
	if n := len(st.IDs()); n != 8 {
		t.Errorf("%d ids, want 8", n)
	}
}

// TestLookupWildcards ranks owners as strongSwan does: exact beats a
// leading wildcard beats %any, and a wildcard matches only identities of
// its own type that are longer than its suffix.
func TestLookupWildcards(t *testing.T) {
	st := NewStore()
	st.Add(Shared{ID: "any", Type: IKE, Data: []byte("any"), Owners: []string{"0.0.0.0"}})
	st.Add(Shared{ID: "mail", Type: IKE, Data: []byte("mail"),
		Owners: []string{"moon.example.org", "*@example.org"}})
	st.Add(Shared{ID: "host", Type: IKE, Data: []byte("host"),
		Owners: []string{"*.example.org", "*@example.org"}})
	st.Add(Shared{ID: "carol", Type: IKE, Data: []byte("carol"),
		Owners: []string{"moon.example.org", "carol@example.org"}})
	tests := []struct{ local, remote, want string }{
		{"moon.example.org", "carol@example.org", "carol"}, // exact + exact
		{"moon.example.org", "dave@example.org", "mail"},   // exact + wildcard
		{"sun.example.org", "dave@example.org", "host"},    // wildcard + wildcard
		{"sun.example.org", "dave@Example.ORG", "host"},    // case-insensitive
		{"example.org", "dave@example.org", "host"},        // the remote's match counts first
		{"sun.example.org", "dave@example.net", "any"},
		{"sun.example.org", "192.0.2.7", "any"},    // an address is no host name
		{"sun.example.org", "@example.org", "any"}, // an FQDN is no e-mail address
	}
	for _, tt := range tests {
		s, ok := st.Lookup(IKE, id(tt.local), id(tt.remote))
		if !ok || string(s.Data) != tt.want {
			t.Errorf("%s / %s: %v %q, want %q", tt.local, tt.remote, ok, s, tt.want)
		}
	}
}

// TestLookupDN matches distinguished-name owners with "*" values, fewer
// wildcards ranking higher.
func TestLookupDN(t *testing.T) {
	st := NewStore()
	st.Add(Shared{ID: "any", Type: IKE, Data: []byte("any")})
	st.Add(Shared{ID: "two", Type: IKE, Data: []byte("two"),
		Owners: []string{"C=CH, O=strongSwan, CN=*, E=*"}})
	st.Add(Shared{ID: "one", Type: IKE, Data: []byte("one"),
		Owners: []string{"C=CH, O=*, CN=dave"}})
	st.Add(Shared{ID: "exact", Type: IKE, Data: []byte("exact"),
		Owners: []string{"C=CH, O=strongSwan, CN=eve"}})
	tests := []struct{ remote, want string }{
		{"C=CH, O=strongSwan, CN=carol, E=carol@example.org", "two"},
		{"C=CH, O=strongSwan, CN=dave", "one"},
		{"C=CH, O=strongSwan, CN=eve", "exact"},
		{"C=ch, O=STRONGSWAN, CN=eve", "exact"},
		{"C=DE, O=strongSwan, CN=dave", "any"},
		{"O=strongSwan, C=CH, CN=dave", "any"},
	}
	for _, tt := range tests {
		s, ok := st.Lookup(IKE, id(""), id(tt.remote))
		if !ok || string(s.Data) != tt.want {
			t.Errorf("%s: %v %q, want %q", tt.remote, ok, s, tt.want)
		}
	}
}

// TestLookupRanking ranks as strongSwan's credential manager does: the
// remote identity's match first, then the local one's, then the newest
// secret; a secret qualifies when either identity matches.
func TestLookupRanking(t *testing.T) {
	st := NewStore()
	st.Add(Shared{ID: "gw-any", Type: IKE, Data: []byte("gw-any"),
		Owners: []string{"moon.example.org", "%any"}})
	st.Add(Shared{ID: "users", Type: IKE, Data: []byte("users"),
		Owners: []string{"%any", "*@example.org"}})
	st.Add(Shared{ID: "group", Type: IKE, Data: []byte("group"),
		Owners: []string{"moon.example.org", "*@example.net"}})
	st.Add(Shared{ID: "carol", Type: IKE, Data: []byte("carol"),
		Owners: []string{"carol@example.net"}})
	st.Add(Shared{ID: "old", Type: IKE, Data: []byte("old"), Owners: []string{"x@example.com"}})
	st.Add(Shared{ID: "new", Type: IKE, Data: []byte("new"), Owners: []string{"x@example.com"}})
	tests := []struct{ local, remote, want string }{
		// 20+1 against 1+19: the better remote match wins, not the sum
		{"moon.example.org", "dave@example.org", "users"},
		// a per-user secret beats the group's though the local id is not
		// among its owners
		{"moon.example.org", "carol@example.net", "carol"},
		{"moon.example.org", "dave@example.net", "group"},
		// equal matches: the newest
		{"moon.example.org", "x@example.com", "new"},
		// %any as an identity is no exact match of an %any owner
		{"%any", "%any", "users"},
	}
	for _, tt := range tests {
		s, ok := st.Lookup(IKE, id(tt.local), id(tt.remote))
		if !ok || string(s.Data) != tt.want {
			got := ""
			if ok {
				got = string(s.Data)
			}
			t.Errorf("%s / %s: %q, want %q", tt.local, tt.remote, got, tt.want)
		}
	}
}

// TestLookupDNFromDER matches a peer's DN as it arrived, in DER: a value
// with a comma, which the text form cannot carry unescaped, still matches
// a wildcard owner.
func TestLookupDNFromDER(t *testing.T) {
	der, err := asn1.Marshal(pkix.Name{Country: []string{"CH"},
		CommonName: "Doe, John"}.ToRDNSequence())
	if err != nil {
		t.Fatal(err)
	}
	peer := identity.New(identity.DERASN1DN, der)
	st := NewStore()
	st.Add(Shared{ID: "dn", Type: IKE, Data: []byte("dn"), Owners: []string{"C=CH, CN=*"}})
	if s, ok := st.Lookup(IKE, id("moon.example.org"), peer); !ok || string(s.Data) != "dn" {
		t.Errorf("%s found %v %v", peer, ok, s)
	}
}
