package daemon

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/charond/charond/vici"
)

// testPKI makes a CA and a leaf with its key (PKCS#8 DER), fresh per test.
func testPKI(t *testing.T) (ca, leaf, leafKey []byte) {
	t.Helper()
	now := time.Now()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: now,
		NotAfter: now.Add(time.Hour), Subject: pkix.Name{CommonName: "drop CA"},
		IsCA: true, BasicConstraintsValid: true}
	ca, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, caKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(ca)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	lt := &x509.Certificate{SerialNumber: big.NewInt(2), NotBefore: now,
		NotAfter: now.Add(time.Hour), Subject: pkix.Name{CommonName: "leaf"}}
	if leaf, err = x509.CreateCertificate(rand.Reader, lt, caCert, key.Public(), caKey); err != nil {
		t.Fatal(err)
	}
	leafKey, _ = x509.MarshalPKCS8PrivateKey(key)
	return ca, leaf, leafKey
}

func TestCertsKeysAndListing(t *testing.T) {
	_, h := newTestDaemon(t, Options{})
	ca, leaf, key := testPKI(t)
	call := func(cmd string, m *vici.Message) string {
		r, _ := h.call(t, cmd, m)
		return connRaw(r)
	}
	if got := call("load-cert", sec("type", "x509ca", "data", string(leaf))); got !=
		"{success=no errmsg=ca certificate lacks CA basic constraint, rejected}" {
		t.Fatalf("leaf as CA: %s", got)
	}
	for _, c := range []struct{ typ, data string }{{"x509", string(ca)}, {"X509", string(leaf)},
		{"x509", string(leaf)}} {
		if got := call("load-cert", sec("type", c.typ, "data", c.data)); got != "{success=yes}" {
			t.Fatalf("load-cert %s: %s", c.typ, got)
		}
	}
	r, _ := h.call(t, "load-key", sec("type", "ecdsa", "data", string(key)))
	id, _ := r.Get("id")
	if len(id) != 40 {
		t.Fatalf("load-key: %s", connRaw(r))
	}
	_, evs := h.call(t, "list-certs", nil)
	// the leaf first (group NONE), the CA's role comes from the certificate
	if len(evs) != 2 || connRaw(evs[0].Message) != "{type=X509 flag=NONE has_privkey=yes data="+
		string(leaf)+"}" || connRaw(evs[1].Message) != "{type=X509 flag=CA data="+string(ca)+"}" {
		t.Fatalf("list-certs: %v", evs)
	}
	if _, evs = h.call(t, "list-certs", sec("type", "X509", "flag", "bogus")); len(evs) != 0 {
		t.Fatalf("invalid flag listed %d", len(evs))
	}
	if got := call("get-keys", nil); got != "{keys=["+id+"]}" {
		t.Fatalf("get-keys: %s", got)
	}
	if got := call("unload-key", sec("id", "00")); got != "{success=no errmsg=key not found}" {
		t.Fatalf("unload-key: %s", got)
	}
	if got := call("load-authority", sec("a", sec("cacert", string(ca)))); got != "{success=yes}" {
		t.Fatalf("load-authority: %s", got)
	}
	call("clear-creds", nil)
	if _, evs = h.call(t, "list-certs", nil); len(evs) != 1 ||
		connRaw(evs[0].Message) != "{type=X509 flag=CA data="+string(ca)+"}" {
		t.Fatalf("after clear-creds the authority's certificate should stay: %v", evs)
	}
	_, evs = h.call(t, "list-authorities", nil)
	if len(evs) != 1 || connRaw(evs[0].Message) !=
		"{a {cacert=CN=drop CA crl_uris=[] ocsp_uris=[]}}" {
		t.Fatalf("list-authorities: %v", evs)
	}
}
