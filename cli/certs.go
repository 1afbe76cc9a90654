package cli

import (
	"encoding/pem"
	"fmt"
	"io"
	"time"

	"github.com/charond/charond/vici"
)

var cmdListCerts = &command{
	name: "list-certs", short: 'x', desc: "list stored certificates",
	usage: "--list-certs [--subject <dn/san>] [--pem]\n" +
		"                 [--type x509|x509_ac|x509_crl|ocsp_response|pubkey]\n" +
		"                 [--flag none|ca|aa|ocsp|any] [--raw|--pretty|--short|--utc]",
	opts: []option{optHelp,
		nameOpt("subject", 's', "filter by certificate subject"),
		nameOpt("type", 't', "filter by certificate type"),
		nameOpt("flag", 'f', "filter by X.509 certificate flag"),
		{long: "pem", short: 'p', help: "print PEM encoding of certificate"},
		optRaw, optPretty,
		{long: "short", short: 'S', help: "omit some certificate details"},
		{long: "utc", short: 'U', help: "use UTC for time fields"}},
	run: func(e *env) int {
		req := e.selectors("type", "flag", "subject")
		l := &certLister{w: e.stderr, now: time.Now(), short: e.has("short"),
			utc: e.has("utc"), pem: e.has("pem")}
		return e.streamList("list-certs", "list-cert", req, func(m *vici.Message) {
			l.out = e.stdout
			l.event(m)
		})
	},
}

// certLister renders list-cert events. Like swanctl it prints a heading
// whenever the type (or, for X.509, the flag) differs from the previous
// event's, so the daemon's order decides how often headings appear.
type certLister struct {
	out, w             io.Writer // stdout, stderr
	now                time.Time
	short, utc, pem    bool
	lastType, lastFlag string
	started            bool
}

// certHeadings are the headings of each type, and of each flag for X.509.
var certHeadings = map[string]string{
	"X509/NONE":     "X.509 End Entity Certificates",
	"X509/CA":       "X.509 CA Certificates",
	"X509/AA":       "X.509 AA Certificates",
	"X509/OCSP":     "X.509 OCSP Signer Certificates",
	"X509_AC":       "X.509 Attribute Certificates",
	"X509_CRL":      "X.509 CRLs",
	"OCSP_RESPONSE": "OCSP Responses",
	"PUBKEY":        "Raw Public Keys",
}

// pemTypes are the PEM labels swanctl's --pem writes for each type.
var pemTypes = map[string]string{
	"X509": "CERTIFICATE", "X509_CRL": "X509 CRL", "X509_AC": "ATTRIBUTE CERTIFICATE",
	"OCSP_RESPONSE": "OCSP RESPONSE",
}

func (l *certLister) event(m *vici.Message) {
	typ, _ := m.Get("type")
	flag := ""
	if typ == "X509" {
		flag, _ = m.Get("flag")
		if flag == "" {
			flag = "NONE"
		}
	}
	data, _ := m.Get("data")
	privkey := str(m, "has_privkey") == "yes"
	if l.pem {
		label, ok := pemTypes[typ]
		if !ok {
			fmt.Fprintln(l.w, "PEM encoding certificate failed")
			return
		}
		_ = pem.Encode(l.out, &pem.Block{Type: label, Bytes: []byte(data)})
		return
	}
	if !l.started || typ != l.lastType || flag != l.lastFlag {
		l.started, l.lastType, l.lastFlag = true, typ, flag
		key := typ
		if typ == "X509" {
			key += "/" + flag
		}
		if h, ok := certHeadings[key]; ok {
			fmt.Fprintf(l.out, "\nList of %s\n", h)
		}
	}
	var ok bool
	switch typ {
	case "X509":
		ok = l.x509([]byte(data), privkey)
	case "X509_CRL":
		ok = l.crl([]byte(data))
	case "X509_AC":
		ok = l.ac([]byte(data))
	case "PUBKEY":
		ok = l.pubkey(m, []byte(data), privkey)
	}
	if !ok {
		fmt.Fprintln(l.w, "parsing certificate failed")
	}
}

// pubkey renders a raw public key, with the subject and validity the
// daemon attached to it.
func (l *certLister) pubkey(m *vici.Message, spki []byte, privkey bool) bool {
	k, ok := parseKey(spki)
	if !ok {
		return false
	}
	fmt.Fprintln(l.out)
	if v, ok := m.Get("subject"); ok {
		fmt.Fprintf(l.out, "  subject:  \"%s\"\n", v)
	}
	nb, okb := parseGeneralized(str(m, "not-before"))
	na, oka := parseGeneralized(str(m, "not-after"))
	if okb || oka {
		// TODO: no daemon in the lab sends validity for a raw key; the
		// layout follows that of certificates.
		l.validity(nb, na)
	}
	l.key(k, privkey)
	return true
}

func parseGeneralized(s string) (time.Time, bool) {
	t, err := time.Parse("20060102150405Z0700", s)
	return t, err == nil
}
