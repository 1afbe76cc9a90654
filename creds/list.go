package creds

import (
	"slices"

	"github.com/charond/charond/identity"
)

// Filter selects certificates for list-certs.
type Filter struct {
	Type    CertType // CertAny for all
	Flag    Flag     // X.509 only; FlagAny for all
	Subject string   // "" for all
}

// Listed is one certificate as list-certs reports it.
type Listed struct {
	Cert *Cert
	Flag Flag // the X.509 group it is listed in; "" for other types
}

// listOrder is the order of the groups list-certs reports, as 5.9.8 lists
// them.
var listOrder = []struct {
	t CertType
	f Flag
}{
	{CertPubkey, ""}, {CertX509, FlagNone}, {CertX509, FlagCA}, {CertX509, FlagAA},
	{CertX509, FlagOCSP}, {CertAC, ""}, {CertCRL, ""}, {CertOCSPResponse, ""},
}

// Select lists certs the way list-certs does: grouped by type and X.509
// flag, newest first within a group. A certificate with several roles is
// listed in each of their groups; one without any in the NONE group.
func Select(certs []*Cert, f Filter) []Listed {
	var out []Listed
	for _, g := range listOrder {
		if f.Type != CertAny && f.Type != g.t {
			continue
		}
		if g.t == CertX509 && f.Flag != FlagAny && f.Flag != g.f {
			continue
		}
		for _, c := range slices.Backward(certs) {
			if c.Type != g.t || !inGroup(c, g.f) || !hasSubject(c, f.Subject) {
				continue
			}
			out = append(out, Listed{Cert: c, Flag: g.f})
		}
	}
	return out
}

func inGroup(c *Cert, f Flag) bool {
	switch f {
	case "":
		return true
	case FlagNone:
		return !c.Flags[FlagCA] && !c.Flags[FlagAA] && !c.Flags[FlagOCSP]
	}
	return c.Flags[f]
}

// hasSubject matches a subject filter against an X.509 certificate's
// subject and alternative names, compared in strongSwan's text form.
//
// TODO: wildcard subjects and certificate types other than X.509.
func hasSubject(c *Cert, subject string) bool {
	if subject == "" {
		return true
	}
	if c.X509 == nil {
		return false
	}
	want := identity.Parse(subject).String()
	if identity.New(identity.DERASN1DN, c.X509.RawSubject).String() == want {
		return true
	}
	names := slices.Concat(c.X509.DNSNames, c.X509.EmailAddresses)
	for _, ip := range c.X509.IPAddresses {
		names = append(names, ip.String())
	}
	for _, n := range names {
		if identity.Parse(n).String() == want {
			return true
		}
	}
	return false
}

// SubjectDN returns the subject of an X.509 certificate as strongSwan
// prints distinguished names.
func SubjectDN(c *Cert) string {
	if c.X509 == nil {
		return ""
	}
	return identity.New(identity.DERASN1DN, c.X509.RawSubject).String()
}
