package cli

import (
	"testing"

	"github.com/charond/charond/vici"
)

// The expected texts were printed by swanctl 5.9.8 for the same events.
func TestListAuthorities(t *testing.T) {
	d := newFakeDaemon(t)
	d.handle("list-authorities", func(_ *vici.Message,
		emit func(string, *vici.Message)) *vici.Message {
		m := vici.NewMessage()
		a := m.AddSection("a1").Set("cacert", "C=CH, O=lst, CN=lst CA")
		a.SetList("crl_uris", []string{"http://c1/a.crl", "http://c2/b.crl", "ldap://x"})
		a.SetList("ocsp_uris", []string{"http://o1", "http://o2"})
		a.Set("cert_uri_base", "http://certs/")
		emit("list-authority", m)
		m = vici.NewMessage()
		m.AddSection("a2").Set("cacert", "C=CH, O=lst, CN=lst CA").
			SetList("crl_uris", nil).SetList("ocsp_uris", nil)
		emit("list-authority", m)
		return nil
	})
	r := runSwanctl(t, nil, "--list-authorities", "-u", d.uri)
	want := "a1:\n  cacert: C=CH, O=lst, CN=lst CA\n" +
		"  crl_uris:  http://c1/a.crl\n             http://c2/b.crl\n             ldap://x\n" +
		"  ocsp_uris: http://o1\n  ocsp_uris: http://o2\n" +
		"  cert_uri_base: http://certs/\n" +
		"a2:\n  cacert: C=CH, O=lst, CN=lst CA\n"
	if r.rc != 0 || r.out != want || r.err != "" {
		t.Errorf("rc %d\n%s\nstderr %q\nwant\n%s", r.rc, r.out, r.err, want)
	}
	r = runSwanctl(t, nil, "--list-authorities", "--raw", "-u", d.uri)
	want = "list-authorities event {a1 {cacert=C=CH, O=lst, CN=lst CA " +
		"crl_uris=[http://c1/a.crl http://c2/b.crl ldap://x] ocsp_uris=[http://o1 http://o2] " +
		"cert_uri_base=http://certs/}}\n" +
		"list-authorities event {a2 {cacert=C=CH, O=lst, CN=lst CA crl_uris=[] ocsp_uris=[]}}\n" +
		"list-authorities reply {}\n"
	if r.out != want {
		t.Errorf("raw:\n%s\nwant\n%s", r.out, want)
	}
}
