package cli

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/charond/charond/vici"
)

// testdata/ac holds attribute certificates made with strongSwan's pki
// (ac1, ac2) and by hand (ac3: holder serial only, an rfc822Name issuer,
// OID, octet and non-ASCII groups; ac4: OID groups), and the text swanctl
// 5.9.8 printed for them with --list-certs --type x509_ac --utc.
func TestListCertsAC(t *testing.T) {
	want, err := os.ReadFile("testdata/ac/list-certs-utc.txt")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 18, 40, 1, 0, time.UTC)
	for _, short := range []bool{false, true} {
		var out, errb bytes.Buffer
		l := &certLister{out: &out, w: &errb, now: now, utc: true, short: short}
		for _, f := range []string{"ac4", "ac3", "ac1", "ac2"} {
			der, err := os.ReadFile("testdata/ac/" + f + ".der")
			if err != nil {
				t.Fatal(err)
			}
			l.event(vici.NewMessage().Set("type", "X509_AC").Set("data", string(der)))
		}
		if out.String() != string(want) || errb.Len() != 0 {
			t.Errorf("short %v: got\n%s\nwant\n%s\nstderr %q", short, out.String(), want,
				errb.String())
		}
	}
}

func TestParseACRejects(t *testing.T) {
	der, err := os.ReadFile("testdata/ac/ac1.der")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := parseAC(der); !ok {
		t.Fatal("ac1 not parsed")
	}
	for n := range der {
		if _, ok := parseAC(der[:n]); ok {
			t.Fatalf("truncated to %d bytes: parsed", n)
		}
	}
	// a v1 attribute certificate: version 0
	bad := bytes.Clone(der)
	if i := bytes.Index(bad, []byte{0x02, 0x01, 0x01, 0x30}); i < 0 {
		t.Fatal("no version")
	} else {
		bad[i+2] = 0
	}
	if _, ok := parseAC(bad); ok {
		t.Error("v1 attribute certificate parsed")
	}
	var out, errb bytes.Buffer
	l := &certLister{out: &out, w: &errb}
	l.event(vici.NewMessage().Set("type", "X509_AC").Set("data", "x"))
	if errb.String() != "parsing certificate failed\n" {
		t.Errorf("stderr %q", errb.String())
	}
}
