package tests

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	govici "github.com/strongswan/govici/vici"
)

// viciCase is one request sent over govici to both daemons; the replies
// must be the same message.
type viciCase struct {
	cmd string
	in  *govici.Message
}

// credMaterial makes a CA, a leaf certificate and the leaf's RSA key.
func credMaterial(t *testing.T) (caPEM, leafPEM, keyDER string) {
	t.Helper()
	caKey := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	now := time.Now().Truncate(time.Hour)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1),
		Subject:   pkix.Name{CommonName: "drop vici CA"},
		NotBefore: now, NotAfter: now.AddDate(1, 0, 0), IsCA: true, BasicConstraintsValid: true}
	caDER := must(x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey))
	ca := must(x509.ParseCertificate(caDER))
	key := must(rsa.GenerateKey(rand.Reader, 2048))
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2),
		Subject: pkix.Name{CommonName: "leaf.drop.test"}, NotBefore: now,
		NotAfter: now.AddDate(1, 0, 0)}
	leafDER := must(x509.CreateCertificate(rand.Reader, leafTmpl, ca, key.Public(), caKey))
	enc := func(der []byte) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	}
	return enc(caDER), enc(leafDER), string(x509.MarshalPKCS1PrivateKey(key))
}

func viciCases(t *testing.T) []viciCase {
	ca, leaf, key := credMaterial(t)
	// sec builds a message in argument order: both daemons must see the
	// same order, which a map would not give.
	sec := func(kv ...any) *govici.Message {
		m := govici.NewMessage()
		for i := 0; i < len(kv); i += 2 {
			if err := m.Set(kv[i].(string), kv[i+1]); err != nil {
				t.Fatal(err)
			}
		}
		return m
	}
	return []viciCase{
		{"load-cert", nil},
		{"load-cert", sec("type", "bogus", "data", leaf)},
		{"load-cert", sec("type", "X509", "flag", "bogus", "data", leaf)},
		{"load-cert", sec("type", "X509", "flag", "any", "data", leaf)},
		{"load-cert", sec("type", "X509")},
		{"load-cert", sec("type", "X509", "data", "garbage")},
		{"load-cert", sec("type", "x509ca", "data", leaf)},
		{"load-cert", sec("type", "X509", "flag", "CA", "data", leaf)},
		{"load-cert", sec("type", "X509_CRL", "data", "garbage")},
		{"load-cert", sec("type", "x509ac", "data", "garbage")},
		{"load-cert", sec("type", "OCSP_RESPONSE", "data", "garbage")},
		{"load-cert", sec("type", "pubkey", "data", "garbage")},
		{"load-cert", sec("type", "PGP", "data", leaf)},
		{"load-cert", sec("type", "x509", "data", leaf)},
		{"load-cert", sec("type", "X509", "flag", "ca", "data", ca)},
		{"load-key", nil},
		{"load-key", sec("type", "bogus", "data", key)},
		{"load-key", sec("type", "rsa")},
		{"load-key", sec("type", "RSA", "data", "garbage")},
		{"load-key", sec("type", "any", "data", "garbage")},
		{"load-key", sec("type", "ecdsa", "data", key)},
		{"load-key", sec("type", "ed25519", "data", key)},
		{"load-key", sec("type", "dsa", "data", key)},
		{"load-key", sec("type", "bliss", "data", key)},
		{"load-key", sec("type", "rsa", "data", key)},
		{"load-key", sec("type", "any", "data", key)},
		{"get-keys", nil},
		{"unload-key", nil},
		{"unload-key", sec("id", "0011")},
		{"load-token", nil},
		{"load-token", sec("handle", "0102", "slot", "1")},
		{"load-authority", nil},
		{"load-authority", sec("a", sec())},
		{"load-authority", sec("a", sec("foo", "x"))},
		{"load-authority", sec("a", sec("cacert", "garbage"))},
		{"load-authority", sec("a", sec("cacert", leaf))},
		{"load-authority", sec("a", sec("crl_uris", "http://x"))},
		{"load-authority", sec("a", sec("cacert", ca, "cert_uri_base", []string{"x"}))},
		{"load-authority", sec("a", sec("file", "/nonexistent/drop-ca.pem"))},
		{"load-authority", sec("a", sec("cacert", ca, "crl_uris", []string{"http://c"}))},
		{"load-authority", sec("b", sec("cacert", ca), "a", sec("cacert", ca))},
		{"get-authorities", nil},
		{"unload-authority", nil},
		{"unload-authority", sec("name", "x")},
		{"unload-authority", sec("name", "a")},
		{"get-authorities", nil},
		{"get-counters", sec("name", "gw")},
		{"reset-counters", sec("all", "yes")},
		{"flush-certs", sec("type", "X509_CRL")},
		{"flush-certs", sec("type", "x509ca")},
		{"clear-creds", nil},
		{"get-keys", nil},
		{"initiate", sec("child", "c", "ike", "i", "timeout", "-1")},
		{"terminate", sec("ike-id", "0x10")},
		{"terminate", sec("ike-id", "0")},
		{"rekey", sec("child-id", "7", "reauth", "yes")},
		{"redirect", sec("ike", "x", "gateway", "%any")},
		{"redirect", sec("peer-ip", "192.0.2.1-192.0.2.9", "gateway", "192.0.2.7")},
		{"uninstall", sec("child", "c", "ike", "i")},
		{"no-such-command", nil},
	}
}

// callRaw sends one request on a fresh session and renders the reply; an
// error other than a failure reply is rendered too.
func callRaw(t *testing.T, path, cmd string, in *govici.Message) string {
	t.Helper()
	s, err := dialRetry(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := s.Call(ctx, cmd, in)
	if out == nil {
		return "error: " + err.Error()
	}
	return strings.Join(strings.Fields(out.String()), " ")
}

// dialRetry opens a session, retrying while a busy listener refuses.
func dialRetry(path string) (*govici.Session, error) {
	var err error
	for range 20 {
		var s *govici.Session
		if s, err = govici.NewSession(govici.WithSocketPath(path)); err == nil {
			return s, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil, err
}

// TestInteropViciReplies sends requests that swanctl never sends, or
// sends only with inputs it checks first, to the reference charon and to
// charond over govici, and wants the same replies: every error string of
// the credential, authority, counter and SA commands.
func TestInteropViciReplies(t *testing.T) {
	ref := startRefCharon(t)
	ours := startDaemon(t, "")
	refPath := strings.TrimPrefix(ref.URI, "unix://")
	for _, c := range viciCases(t) {
		want := callRaw(t, refPath, c.cmd, c.in)
		got := callRaw(t, ours.Path, c.cmd, c.in)
		if got != want {
			t.Errorf("%s %s:\n got: %s\nwant: %s", c.cmd, describe(c.in), got, want)
		}
	}
}

// describe names a request's keys and short values, for failure messages.
func describe(in *govici.Message) string {
	if in == nil {
		return ""
	}
	var parts []string
	for _, k := range in.Keys() {
		v := fmt.Sprint(in.Get(k))
		if len(v) > 40 {
			v = v[:40] + "..."
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, " ")
}
