package pool

import (
	"errors"
	"fmt"
	"strings"
)

// Errors of ParseAttribute.
var (
	// ErrInvalidAttribute: the key names no attribute type.
	ErrInvalidAttribute = errors.New("pool: invalid attribute")
	// ErrInvalidAttributeValue: a named key's value is no address or subnet.
	ErrInvalidAttributeValue = errors.New("pool: invalid attribute value")
)

// AttrType is an IKE configuration attribute type (RFC 7296 section 3.15.1
// and the Cisco Unity range).
type AttrType uint16

// Configuration attribute types the named pool keys map to.
const (
	InternalIP4Address AttrType = 1
	InternalIP4Netmask AttrType = 2
	InternalIP4DNS     AttrType = 3
	InternalIP4NBNS    AttrType = 4
	InternalIP4DHCP    AttrType = 6
	InternalIP6Address AttrType = 8
	InternalIP6Netmask AttrType = 9
	InternalIP6DNS     AttrType = 10
	InternalIP6NBNS    AttrType = 11
	InternalIP6DHCP    AttrType = 12
	InternalIP4Subnet  AttrType = 13
	InternalIP6Subnet  AttrType = 15
	PCSCFIP4Address    AttrType = 20
	PCSCFIP6Address    AttrType = 21
	InternalIP4Server  AttrType = 23456
	InternalIP6Server  AttrType = 23457
	UnitySplitInclude  AttrType = 28676
	UnityLocalLAN      AttrType = 28678
)

// Attribute is one configuration attribute as an IKEv2 responder sends it
// in a CFG_REPLY: its type and encoded value.
type Attribute struct {
	Type  AttrType
	Value []byte
}

// namedAttrs maps the pool keys to their IPv4 and IPv6 attribute types.
var namedAttrs = map[string][2]AttrType{
	"address":       {InternalIP4Address, InternalIP6Address},
	"dns":           {InternalIP4DNS, InternalIP6DNS},
	"nbns":          {InternalIP4NBNS, InternalIP6NBNS},
	"dhcp":          {InternalIP4DHCP, InternalIP6DHCP},
	"netmask":       {InternalIP4Netmask, InternalIP6Netmask},
	"server":        {InternalIP4Server, InternalIP6Server},
	"subnet":        {InternalIP4Subnet, InternalIP6Subnet},
	"split_include": {UnitySplitInclude, UnitySplitInclude},
	"split_exclude": {UnityLocalLAN, UnityLocalLAN},
	"p_cscf":        {PCSCFIP4Address, PCSCFIP6Address},
}

// maxAttrText is strongSwan's buffer for an attribute value read as text:
// longer values are not parsed as addresses.
const maxAttrText = 256

// ParseAttribute turns one list item of a pool section into an attribute.
// Named keys (dns, subnet, ...) need an address or `addr/prefix` and take
// the type of its family; any other key must be a decimal attribute type
// (read like C atoi, so "25abc" is 25) whose value is encoded as an address
// or subnet if it is one, and sent as it is otherwise.
//
// An address encodes as its 4 or 16 bytes; an IPv4 subnet as network and
// netmask (8 bytes), an IPv6 subnet as network and prefix length (17 bytes).
// Errors wrap ErrInvalidAttribute or ErrInvalidAttributeValue.
func ParseAttribute(key, value string) (Attribute, error) {
	types, named := namedAttrs[key]
	if !named {
		n := atoi(key)
		if n <= 0 || n > 0xffff {
			// TODO: strongSwan truncates types above 65535 to 16 bits;
			// charond refuses them.
			return Attribute{}, fmt.Errorf("%w: %s", ErrInvalidAttribute, key)
		}
		types = [2]AttrType{AttrType(n), AttrType(n)}
	}
	if v6, enc, ok := encodeAddr(value); ok {
		t := types[0]
		if v6 {
			t = types[1]
		}
		return Attribute{Type: t, Value: enc}, nil
	}
	if named {
		return Attribute{}, fmt.Errorf("%w for %s", ErrInvalidAttributeValue, key)
	}
	return Attribute{Type: types[0], Value: []byte(value)}, nil
}

// encodeAddr encodes an address or subnet value; v6 tells its family.
func encodeAddr(s string) (v6 bool, enc []byte, ok bool) {
	if len(s) >= maxAttrText || !printableASCII(s) {
		return false, nil, false
	}
	addrS, bitsS, isNet := strings.Cut(s, "/")
	a, ok := parseHost(addrS)
	if !ok {
		return false, nil, false
	}
	if !isNet {
		return a.Is6(), a.AsSlice(), true
	}
	bits := min(max(atoi(bitsS), 0), a.BitLen())
	p, err := a.Prefix(bits)
	if err != nil {
		return false, nil, false
	}
	enc = p.Addr().AsSlice()
	if a.Is6() {
		return true, append(enc, byte(bits)), true
	}
	mask := ^uint32(0)
	if bits < 32 {
		mask = ^(^uint32(0) >> bits)
	}
	return false, append(enc, byte(mask>>24), byte(mask>>16), byte(mask>>8), byte(mask)), true
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
