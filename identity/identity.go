package identity

import (
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"
)

// Type is an IKE identification type (RFC 7296 section 3.5, plus
// strongSwan's private types above 200).
type Type uint8

// Identification types.
const (
	Any        Type = 0 // matches every identity; printed as %any
	IPv4Addr   Type = 1
	FQDN       Type = 2
	RFC822Addr Type = 3
	IPv6Addr   Type = 5
	DERASN1DN  Type = 9
	DERASN1GN  Type = 10
	KeyID      Type = 11
	UserID     Type = 202 // strongSwan private type for plain user names
)

var typeNames = map[Type]string{
	Any: "ID_ANY", IPv4Addr: "ID_IPV4_ADDR", FQDN: "ID_FQDN", RFC822Addr: "ID_RFC822_ADDR",
	IPv6Addr: "ID_IPV6_ADDR", DERASN1DN: "ID_DER_ASN1_DN", DERASN1GN: "ID_DER_ASN1_GN",
	KeyID: "ID_KEY_ID", UserID: "ID_USER_ID",
}

// String returns the strongSwan name of the type, such as ID_FQDN.
func (t Type) String() string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return "ID_" + strconv.Itoa(int(t))
}

// Identity is an IKE identity: a type and its encoding. The zero value is
// the %any identity. Two identities are equal (==) exactly when type and
// encoding are equal, which is how strongSwan compares them for leases.
type Identity struct {
	// s holds the type byte followed by the encoding, so that the value
	// is one string header and compares with ==.
	s string
}

// New returns the identity of type t with the given encoding.
func New(t Type, data []byte) Identity {
	if t == Any {
		return Identity{}
	}
	return Identity{s: string(append([]byte{byte(t)}, data...))}
}

func newString(t Type, data string) Identity {
	if t == Any {
		return Identity{}
	}
	return Identity{s: string([]byte{byte(t)}) + data}
}

// FromAddr returns the ID_IPV4_ADDR or ID_IPV6_ADDR identity of a.
func FromAddr(a netip.Addr) Identity {
	if a.Is4() {
		b := a.As4()
		return New(IPv4Addr, b[:])
	}
	b := a.As16()
	return New(IPv6Addr, b[:])
}

// Type returns the identification type.
func (id Identity) Type() Type {
	if id.s == "" {
		return Any
	}
	return Type(id.s[0])
}

// Data returns the encoding as sent in an IKE ID payload.
func (id Identity) Data() []byte {
	if id.s == "" {
		return nil
	}
	return []byte(id.s[1:])
}

func (id Identity) data() string {
	if id.s == "" {
		return ""
	}
	return id.s[1:]
}

// IsAny reports whether id is the wildcard identity %any.
func (id Identity) IsAny() bool { return id.Type() == Any }

// String prints id as strongSwan does: addresses in presentation form,
// names as text with unprintable bytes shown as '?', DNs as
// `C=CH, O=strongSwan Project, CN=carol`, binary key IDs as colon-separated
// hex.
func (id Identity) String() string {
	d := id.data()
	switch id.Type() {
	case Any:
		return "%any"
	case IPv4Addr, IPv6Addr:
		if a, ok := netip.AddrFromSlice([]byte(d)); ok &&
			(len(d) == 4) == (id.Type() == IPv4Addr) {
			return a.String()
		}
		return "(invalid " + id.Type().String() + ")"
	case FQDN, RFC822Addr, UserID:
		return printable(d)
	case DERASN1DN:
		if s, ok := dnString(d); ok {
			return s
		}
		return "(invalid ID_DER_ASN1_DN)"
	case DERASN1GN:
		return "(ASN.1 general name)"
	case KeyID:
		// A 20-byte key ID is a SHA-1 hash even if it happens to be
		// printable, so strongSwan always shows those in hex.
		if isPrintable(d) && len(d) != 20 {
			return d
		}
		return colonHex(d)
	}
	return "(unknown ID type: " + strconv.Itoa(int(id.Type())) + ")"
}

func isPrintable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func printable(s string) string {
	if isPrintable(s) {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}

func colonHex(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteString(hex.EncodeToString([]byte{s[i]}))
	}
	return sb.String()
}

// Clone returns id with a private copy of its encoding, so that keeping it
// does not keep alive a larger buffer the encoding was cut from.
func (id Identity) Clone() Identity { return Identity{s: strings.Clone(id.s)} }
