package cli

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/charond/charond/vici"
)

// The layouts below were printed by swanctl 5.9.8 for certificates of the
// same shape; key-dependent lines are checked through parseKey.
func TestListCertsText(t *testing.T) {
	now := time.Date(2026, 12, 4, 17, 42, 0, 0, time.UTC)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{SerialNumber: big.NewInt(0),
		Subject: pkix.Name{Country: []string{"CH"}, OrganizationalUnit: []string{"Ü"},
			CommonName: "CA"},
		NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(90 * time.Second),
		IsCA: true, BasicConstraintsValid: true, MaxPathLen: 2,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		CRLDistributionPoints: []string{"http://a/ca.crl", "ldap://b"},
		OCSPServer:            []string{"http://o1", "http://o2"}}
	der, err := x509.CreateCertificate(rand.Reader, ca, ca, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	crl, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number: big.NewInt(4242), ThisUpdate: now.Add(-48 * time.Hour),
		NextUpdate: now.Add(-25 * time.Hour),
		RevokedCertificateEntries: []x509.RevocationListEntry{
			{SerialNumber: big.NewInt(100), RevocationTime: now, ReasonCode: 1},
			{SerialNumber: big.NewInt(101), RevocationTime: now, ReasonCode: 9}},
	}, mustParse(t, der), key)
	if err != nil {
		t.Fatal(err)
	}
	k, ok := parseKey(mustParse(t, der).RawSubjectPublicKeyInfo)
	if !ok {
		t.Fatal("parseKey failed")
	}
	var out, errb bytes.Buffer
	l := &certLister{out: &out, w: &errb, now: now, utc: true}
	l.event(vici.NewMessage().Set("type", "X509").Set("flag", "CA").Set("data", string(der)))
	l.event(vici.NewMessage().Set("type", "X509_CRL").Set("data", string(crl)))
	want := "\nList of X.509 CA Certificates\n\n" +
		"  subject:  \"C=CH, OU=??, CN=CA\"\n  issuer:   \"C=CH, OU=??, CN=CA\"\n" +
		"  validity:  not before Dec 02 17:42:00 UTC 2026, ok\n" +
		"             not after  Dec 04 17:43:30 UTC 2026, ok (expires in 90 seconds)\n" +
		"  serial:    00\n  flags:     CA CRLSign self-signed \n" +
		"  CRL URIs:  http://a/ca.crl\n           ldap://b\n" +
		"  OCSP URIs: http://o1\n           http://o2\n  pathlen:   2\n" +
		"  subjkeyId: " + hexColons(mustParse(t, der).SubjectKeyId) + "\n" +
		"  pubkey:    ECDSA 256 bits\n  keyid:     " + hexColons(k.keyid) + "\n" +
		"  subjkey:   " + hexColons(k.subjkey) + "\n" +
		"\nList of X.509 CRLs\n\n  issuer:   \"C=CH, OU=??, CN=CA\"\n" +
		"  update:    this on Dec 02 17:42:00 UTC 2026, ok\n" +
		"             next on Dec 03 16:42:00 UTC 2026, expired (25 hours ago)\n" +
		"  serial:    10:92\n" +
		"  authKeyId: " + hexColons(mustParse(t, der).SubjectKeyId) + "\n" +
		"  2 revoked certificates:\n" +
		"    64: Dec 04 17:42:00 UTC 2026, key compromise\n" +
		"    65: Dec 04 17:42:00 UTC 2026, (9)\n"
	if out.String() != want || errb.Len() != 0 {
		t.Errorf("got\n%s\nwant\n%s\nstderr %q", out.String(), want, errb.String())
	}
	if !bytes.Equal(k.subjkey, mustParse(t, der).SubjectKeyId) {
		t.Errorf("subjkey %x, Go's key id %x", k.subjkey, mustParse(t, der).SubjectKeyId)
	}

	out.Reset()
	l = &certLister{out: &out, w: &errb, now: now, short: true, pem: true}
	l.event(vici.NewMessage().Set("type", "PUBKEY").Set("data", "x"))
	if out.Len() != 0 || errb.String() != "PEM encoding certificate failed\n" {
		t.Errorf("pubkey --pem: %q %q", out.String(), errb.String())
	}
	l.event(vici.NewMessage().Set("type", "X509_CRL").Set("data", string(crl)))
	if !strings.HasPrefix(out.String(), "-----BEGIN X509 CRL-----\n") {
		t.Errorf("CRL --pem: %q", out.String())
	}
}

func TestDelta(t *testing.T) {
	base := time.Unix(1e9, 0)
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{time.Second, "1 second"}, {120 * time.Second, "120 seconds"},
		{121 * time.Second, "2 minutes"}, {2 * time.Hour, "120 minutes"},
		{2*time.Hour + time.Second, "2 hours"}, {48 * time.Hour, "48 hours"},
		{49 * time.Hour, "2 days"}, {365 * 24 * time.Hour, "365 days"},
	} {
		if got := delta(base.Add(tt.d), base); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.d, got, tt.want)
		}
		if got := delta(base, base.Add(tt.d)); got != tt.want {
			t.Errorf("-%v: %q, want %q", tt.d, got, tt.want)
		}
	}
}

func mustParse(t *testing.T, der []byte) *x509.Certificate {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
