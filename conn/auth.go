package conn

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charond/charond/cnum"
	"github.com/charond/charond/creds"
)

// eapTypes maps EAP method names to their numbers, as strongSwan parses
// them; eapNames gives the names list-conn prints.
var eapTypes = map[string]uint32{
	"identity": 1, "md5": 4, "otp": 5, "gtc": 6, "tls": 13, "sim": 18, "ttls": 21,
	"aka": 23, "peap": 25, "mschapv2": 26, "tnc": 38, "pt": 54, "radius": 256,
	"dynamic": 257,
}

var eapNames = map[uint32]string{
	1: "EAP_IDENTITY", 2: "EAP_NOTIFICATION", 3: "EAP_NAK", 4: "EAP_MD5", 5: "EAP_OTP",
	6: "EAP_GTC", 13: "EAP_TLS", 18: "EAP_SIM", 21: "EAP_TTLS", 23: "EAP_AKA",
	25: "EAP_PEAP", 26: "EAP_MSCHAPV2", 33: "EAP_MSTLV", 38: "EAP_TNC", 54: "EAP_PT_EAP",
	254: "EAP_EXPANDED", 255: "EAP_EXPERIMENTAL", 256: "EAP_RADIUS", 257: "EAP_DYNAMIC",
}

// EAPTypeName prints an EAP method number the way strongSwan does.
func EAPTypeName(t uint32) string {
	if n, ok := eapNames[t]; ok {
		return n
	}
	return fmt.Sprintf("(%d)", t)
}

func (a *Auth) rule(r Rule) { a.Rules = append(a.Rules, r) }

// idOpt stores a normalised identity and records its rule.
func idOpt(r Rule, f func(a *Auth) *string) option[Auth] {
	return kvOpt(func(a *Auth, v string) bool {
		*f(a) = NormalizeID(v)
		a.rule(r)
		return true
	})
}

func certsOpt(parse func([]byte) (Cert, error), f func(a *Auth) *[]Cert) option[Auth] {
	return listOpt(func(a *Auth, items []string) bool {
		for _, it := range items {
			c, err := parse([]byte(it))
			if err != nil {
				return false
			}
			*f(a) = append(*f(a), c)
		}
		return true
	})
}

var authOpts = map[string]option[Auth]{
	"round":    u32Opt(func(a *Auth) *uint32 { return &a.Round }),
	"auth":     kvOpt(parseAuthMethod),
	"id":       idOpt(RuleID, func(a *Auth) *string { return &a.ID }),
	"aaa_id":   idOpt(RuleAAAID, func(a *Auth) *string { return &a.AAAID }),
	"eap_id":   idOpt(RuleEAPID, func(a *Auth) *string { return &a.EAPID }),
	"xauth_id": idOpt(RuleXAuthID, func(a *Auth) *string { return &a.XAuthID }),
	"ca_id":    idOpt(RuleCAID, func(a *Auth) *string { return &a.CAID }),
	"revocation": kvOpt(func(a *Auth, v string) bool {
		i, ok := parseEnum(v, "strict", "ifuri", "relaxed")
		if ok && i < 2 {
			a.Revocation = []string{"strict", "ifuri"}[i]
			a.rule(RuleRevocation)
		}
		return ok
	}),
	"groups":      strsOpt(func(a *Auth) *[]string { return &a.Groups }),
	"cert_policy": strsOpt(func(a *Auth) *[]string { return &a.CertPolicy }),
	"certs":       certsOpt(ParseCert, func(a *Auth) *[]Cert { return &a.Certs }),
	"cacerts":     certsOpt(ParseCert, func(a *Auth) *[]Cert { return &a.CACerts }),
	"pubkeys":     certsOpt(ParsePubkey, func(a *Auth) *[]Cert { return &a.Certs }),
}

// parseAuthMethod reads psk, pubkey-ish methods with constraints,
// eap[-type[-vendor]][:constraints] and xauth[-backend].
func parseAuthMethod(a *Auth, v string) bool {
	a.Auth = v
	lower := strings.ToLower(v)
	switch {
	case lower == "psk":
		a.Class = AuthPSK
		a.rule(RuleClass)
	case strings.HasPrefix(lower, "xauth"):
		if b, ok := strings.CutPrefix(v[len("xauth"):], "-"); ok {
			a.XAuthBackend = b
			a.rule(RuleXAuth)
		}
		a.Class = AuthXAuth
		a.rule(RuleClass)
	case strings.HasPrefix(lower, "eap"):
		return parseEAP(a, lower[len("eap"):])
	case strings.HasPrefix(lower, "ike:"), strings.HasPrefix(lower, "pubkey"),
		strings.HasPrefix(lower, "rsa"), strings.HasPrefix(lower, "ecdsa"),
		strings.HasPrefix(lower, "bliss"):
		// TODO: signature constraints are kept as text, not checked.
		a.Class = AuthPubkey
		a.rule(RuleClass)
	default:
		return false
	}
	return true
}

func parseEAP(a *Auth, rest string) bool {
	a.Class = AuthEAP
	a.rule(RuleClass)
	method, _, _ := strings.Cut(rest, ":")
	method, ok := strings.CutPrefix(method, "-")
	if !ok {
		return method == ""
	}
	typ, vendor, hasVendor := strings.Cut(method, "-")
	var vendorID uint64
	if hasVendor {
		// like atoi: a non-numeric vendor (eap-aka-prime) reads as 0, and
		// a vendor method with vendor 0 sets no method at all
		if vendorID, _ = cnum.Strtoull(vendor); vendorID == 0 {
			return true
		}
	}
	if t, known := eapTypes[typ]; known {
		a.EAPType = t
	} else {
		n, err := strconv.ParseUint(typ, 10, 32)
		if err != nil {
			return false
		}
		a.EAPType = uint32(n)
	}
	a.rule(RuleEAPType)
	if hasVendor {
		a.EAPVendor = uint32(vendorID)
		a.rule(RuleEAPVendor)
	}
	return true
}

func parseAuth(entries []Entry) (Auth, error) {
	var a Auth
	for _, e := range entries {
		if e.Kind != KindSection {
			if err := applyOption(authOpts, &a, e); err != nil {
				return Auth{}, err
			}
			continue
		}
		lower := strings.ToLower(e.Name)
		var list *[]Cert
		switch {
		case strings.HasPrefix(lower, "cert"):
			list = &a.Certs
		case strings.HasPrefix(lower, "cacert"):
			list = &a.CACerts
		default:
			return Auth{}, errSection(e.Name)
		}
		c, err := loadCertSection(e)
		if err != nil {
			return Auth{}, err
		}
		*list = append(*list, c)
	}
	if a.ID == "" && len(a.Certs) > 0 {
		// the identity defaults to the first certificate's subject
		a.ID = a.Certs[0].Subject
		a.rule(RuleID)
	}
	return a, nil
}

type certSection struct{ file, handle, slot, module string }

var certSectionOpts = map[string]option[certSection]{
	"file":   strOpt(func(c *certSection) *string { return &c.file }),
	"handle": strOpt(func(c *certSection) *string { return &c.handle }),
	"slot":   strOpt(func(c *certSection) *string { return &c.slot }),
	"module": strOpt(func(c *certSection) *string { return &c.module }),
}

// loadCertSection reads a cert<suffix>/cacert<suffix> section: a file the
// daemon reads itself, or a PKCS#11 handle.
func loadCertSection(e Entry) (Cert, error) {
	var cs certSection
	for _, kv := range e.Section {
		if err := applyOption(certSectionOpts, &cs, kv); err != nil {
			return Cert{}, err
		}
	}
	switch {
	case cs.file == "" && cs.handle == "":
		return Cert{}, &Error{fmt.Sprintf("handle or file path missing: %s", e.Name)}
	case cs.file != "" && cs.handle != "":
		return Cert{}, &Error{fmt.Sprintf("handle and file path given: %s", e.Name)}
	}
	failed := &Error{fmt.Sprintf("unable to load certificate: %s", e.Name)}
	if cs.handle != "" {
		// TODO: PKCS#11 tokens; every handle fails to load for now.
		return Cert{}, failed
	}
	data, err := creds.ReadFile(cs.file)
	if err != nil {
		return Cert{}, &FileError{failed.Msg, cs.file, err}
	}
	c, err := ParseCert(data)
	if err != nil {
		return Cert{}, failed
	}
	return c, nil
}

// FileError is a load failure caused by a file the client named: the
// errmsg stays strongSwan's, while Path and Err say what to log.
type FileError struct {
	Msg, Path string
	Err       error
}

func (e *FileError) Error() string { return e.Msg }

func (e *FileError) Unwrap() error { return e.Err }
