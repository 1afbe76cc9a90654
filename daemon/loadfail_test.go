package daemon

import (
	"encoding/asn1"
	"math/big"
	"strings"
	"testing"

	"github.com/charond/charond/creds"
	"github.com/charond/charond/vici"
)

// hugeRSA encodes a PKCS#1 RSA key one bit over the limit with nonsense
// factors, which is cheap to build.
func hugeRSA(t *testing.T) string {
	t.Helper()
	n := new(big.Int).Lsh(big.NewInt(1), creds.MaxRSABits)
	one := big.NewInt(1)
	der, err := asn1.Marshal(struct {
		Version               int
		N                     *big.Int
		E                     int
		D, P, Q, Dp, Dq, Qinv *big.Int
	}{0, n, 65537, n, n, one, one, one, one})
	if err != nil {
		t.Fatal(err)
	}
	return string(der)
}

// Every refused load-* request logs one line with its errmsg.
func TestLoadFailuresLogged(t *testing.T) {
	tests := []struct {
		cmd    string
		req    *vici.Message
		errmsg string
		attrs  []string // further text the log line must hold
	}{
		{"load-pool", pools("p", section("addrs", "bogus")), "invalid addrs value: bogus",
			[]string{"name=p"}},
		{"load-pool", pools("q", section()), "missing addrs for pool 'q'",
			[]string{"name=q"}},
		{"load-shared", sec("id", "s1", "type", "nope", "data", "x"),
			"invalid shared key type: nope", []string{"id=s1"}},
		{"load-shared", sec("type", "ike"), "shared key data missing", nil},
		{"load-key", sec("type", "rsa", "data", "garbage"), "parsing RSA private key failed",
			[]string{"type=rsa"}},
		{"load-key", sec("type", "rsa", "data", hugeRSA(t)), "parsing RSA private key failed",
			[]string{"too large"}},
		{"load-cert", sec("type", "x509", "data", "garbage"), "parsing X509 certificate failed",
			[]string{"type=x509"}},
		{"load-authority", sec("a", sec("cacert", "garbage")), "CA certificate missing: a",
			[]string{"name=a"}},
		{"load-authority", sec("b", sec("file", "/nonexistent")), "CA certificate missing: b",
			[]string{"name=b", "path=/nonexistent"}},
	}
	_, h, logs := newPoolDaemon(t)
	for _, tc := range tests {
		logs.Reset()
		r, _ := h.call(t, tc.cmd, tc.req)
		if got := result(r); got != "no: "+tc.errmsg {
			t.Errorf("%s %s: %s, want %s", tc.cmd, connRaw(tc.req), got, tc.errmsg)
			continue
		}
		line := logs.String()
		ok := strings.Count(line, "\n") == 1 && strings.Contains(line, "subsys=cfg") &&
			strings.Contains(line, tc.errmsg) && strings.Contains(line, " failed\"")
		for _, a := range tc.attrs {
			ok = ok && strings.Contains(line, a)
		}
		if !ok {
			t.Errorf("%s %s: log %q", tc.cmd, connRaw(tc.req), line)
		}
	}
}
