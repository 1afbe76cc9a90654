package identity

import (
	"encoding/hex"
	"net/netip"
	"strings"
)

// prefixes are the explicit "type:value" forms of identity strings.
var prefixes = []struct {
	name string
	t    Type
}{
	{"ipv4:", IPv4Addr}, {"ipv6:", IPv6Addr},
	{"rfc822:", RFC822Addr}, {"email:", RFC822Addr}, {"userfqdn:", RFC822Addr},
	{"fqdn:", FQDN}, {"dns:", FQDN},
	{"asn1dn:", DERASN1DN}, {"asn1gn:", DERASN1GN},
	{"keyid:", KeyID},
}

// Parse interprets an identity string the way strongSwan does for the
// common forms: `%any` (and the empty string, `*`, `0.0.0.0`, `::`), IPv4
// and IPv6 addresses, `@fqdn`, `@@user@host`, `@#hex` (a key ID),
// `user@host`, distinguished names `C=CH, O=Org, CN=carol` and explicit
// `type:value` prefixes. Anything else becomes an ID_FQDN, and a string
// with `=` that is no valid DN becomes an ID_KEY_ID, as in strongSwan.
//
// TODO: subnet and range identities (ID_IPV4_ADDR_SUBNET and friends),
// general names and regular-expression identities are not parsed.
func Parse(s string) Identity {
	if id, ok := parsePrefixed(s); ok {
		return id
	}
	if strings.Contains(s, "=") {
		if dn, err := encodeDN(s); err == nil {
			return New(DERASN1DN, dn)
		}
		return newString(KeyID, s)
	}
	if !strings.Contains(s, "@") {
		switch s {
		case "", "%any", "%any6", "0.0.0.0", "*", "::", "0::0":
			return Identity{}
		}
		if !strings.Contains(s, ":") {
			if a, err := netip.ParseAddr(s); err == nil && a.Is4() {
				return FromAddr(a)
			}
			return newString(FQDN, s)
		}
		if a, err := netip.ParseAddr(s); err == nil && a.Is6() && a.Zone() == "" {
			return FromAddr(a)
		}
		return newString(KeyID, s)
	}
	if rest, ok := strings.CutPrefix(s, "@"); ok {
		switch {
		case strings.HasPrefix(rest, "#"):
			if b, err := hex.DecodeString(stripHex(rest[1:])); err == nil {
				return New(KeyID, b)
			}
			return newString(KeyID, rest[1:])
		case strings.HasPrefix(rest, "@"):
			return newString(RFC822Addr, rest[1:])
		default:
			return newString(FQDN, rest)
		}
	}
	return newString(RFC822Addr, s)
}

func parsePrefixed(s string) (Identity, bool) {
	for _, p := range prefixes {
		if len(s) < len(p.name) || !strings.EqualFold(s[:len(p.name)], p.name) {
			continue
		}
		v := s[len(p.name):]
		switch p.t {
		case IPv4Addr, IPv6Addr:
			a, err := netip.ParseAddr(v)
			if err != nil || a.Zone() != "" || a.Is4() != (p.t == IPv4Addr) {
				return Identity{}, false
			}
			return FromAddr(a), true
		case DERASN1DN:
			if h, ok := strings.CutPrefix(v, "#"); ok {
				if b, err := hex.DecodeString(stripHex(h)); err == nil {
					return New(p.t, b), true
				}
			}
			if dn, err := encodeDN(v); err == nil {
				return New(DERASN1DN, dn), true
			}
			return Identity{}, false
		default:
			if h, ok := strings.CutPrefix(v, "#"); ok {
				if b, err := hex.DecodeString(stripHex(h)); err == nil {
					return New(p.t, b), true
				}
			}
			return newString(p.t, v), true
		}
	}
	return Identity{}, false
}

// stripHex removes the colons strongSwan allows between hex bytes.
func stripHex(s string) string { return strings.ReplaceAll(s, ":", "") }
