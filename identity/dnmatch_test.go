package identity

import "testing"

func TestMatchDN(t *testing.T) {
	dn := func(s string) string {
		t.Helper()
		id := Parse(s)
		if id.Type() != DERASN1DN {
			t.Fatalf("%q is no DN", s)
		}
		return string(id.Data())
	}
	carol := dn("C=CH, O=strongSwan, OU=Research, CN=carol@example.org, E=carol@example.org")
	tests := []struct {
		pattern string
		wc      int
		ok      bool
	}{
		{"C=CH, O=strongSwan, OU=Research, CN=carol@example.org, E=carol@example.org", 0, true},
		{"C=ch, O=STRONGSWAN, OU=research, CN=carol@example.org, E=Carol@Example.ORG", 0, true},
		{"C=CH, O=strongSwan, OU=*, CN=carol@example.org, E=carol@example.org", 1, true},
		{"C=CH, O=strongSwan, OU=*, CN=*, E=*", 3, true},
		{"C=CH, O=strongSwan, OU=Research, CN=dave@example.org, E=carol@example.org", 0, false},
		{"C=CH, O=strongSwan, OU=Research, CN=carol@example.org", 0, false}, // one fewer
		{"O=strongSwan, C=CH, OU=Research, CN=carol@example.org, E=carol@example.org", 0,
			false}, // order counts
		// CN is a UTF8String when it holds '@': compared with case
		{"C=CH, O=strongSwan, OU=Research, CN=Carol@example.org, E=carol@example.org", 0,
			false},
	}
	for _, tt := range tests {
		wc, ok := MatchDN(carol, dn(tt.pattern))
		if ok != tt.ok || (ok && wc != tt.wc) {
			t.Errorf("%s: %d, %v; want %d, %v", tt.pattern, wc, ok, tt.wc, tt.ok)
		}
	}
	if _, ok := MatchDN(carol, "\x30\x03\x31\x01"); ok {
		t.Error("a broken pattern matched")
	}
}
