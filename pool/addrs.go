package pool

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// ErrInvalidAddrs is returned for an addrs value that gives no pool.
var ErrInvalidAddrs = errors.New("pool: invalid addrs value")

// maxHostBits caps a pool at 2^31 addresses, as strongSwan does, so that
// every size fits a signed 32-bit integer.
const maxHostBits = 31

// Range is the set of addresses a pool hands out: Size addresses from Base
// upwards. Only the last 32 bits of an address vary within a range.
type Range struct {
	Base netip.Addr
	Size uint32
}

// Addr returns the address at offset off (0-based) from the base.
func (r Range) Addr(off uint32) netip.Addr { return addLow32(r.Base, off) }

// Offset returns the 0-based offset of a within r.
func (r Range) Offset(a netip.Addr) (uint32, bool) {
	if !r.Base.IsValid() || a.Is4() != r.Base.Is4() {
		return 0, false
	}
	if a.Is6() {
		ab, bb := a.As16(), r.Base.As16()
		if [12]byte(ab[:12]) != [12]byte(bb[:12]) {
			return 0, false
		}
	}
	off := low32(a) - low32(r.Base)
	if low32(a) < low32(r.Base) || off >= r.Size {
		return 0, false
	}
	return off, true
}

// Contains reports whether r hands out a.
func (r Range) Contains(a netip.Addr) bool {
	_, ok := r.Offset(a)
	return ok
}

func low32(a netip.Addr) uint32 {
	if a.Is4() {
		b := a.As4()
		return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	}
	b := a.As16()
	return uint32(b[12])<<24 | uint32(b[13])<<16 | uint32(b[14])<<8 | uint32(b[15])
}

// addLow32 adds n to the last 32 bits of a without carrying into the
// bytes above them, as strongSwan's pool arithmetic does.
func addLow32(a netip.Addr, n uint32) netip.Addr {
	v := low32(a) + n
	if a.Is4() {
		return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	}
	b := a.As16()
	b[12], b[13], b[14], b[15] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	return netip.AddrFrom16(b)
}

// parseHost parses an address as inet_pton does, plus strongSwan's %any
// and %any6 names. Zones are not addresses there.
func parseHost(s string) (netip.Addr, bool) {
	switch s {
	case "%any":
		return netip.IPv4Unspecified(), true
	case "%any6":
		return netip.IPv6Unspecified(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a, true
}

// atoi mimics C atoi: leading blanks, an optional sign, then digits up to
// the first non-digit; no digits gives 0.
func atoi(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	n := 0
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n < 1<<30 {
			n = n*10 + int(s[i]-'0')
		}
	}
	if neg {
		return -n
	}
	return n
}

// ParseAddrs turns a pool's addrs value into its range: a range `from-to`
// (both ends handed out), or `addr/prefix` or a single address, with
// strongSwan 6.0's rules for the first and last address of a subnet and
// its cap of 2^31 addresses. notes holds the lines strongSwan logs while
// parsing (such as "virtual IP pool too large, limiting to fec8::/97"),
// also when the value is refused. The error wraps ErrInvalidAddrs.
//
// Unlike strongSwan, ranges of 2^31 addresses or more and pools whose base
// is the any-address are refused.
func ParseAddrs(s string) (r Range, notes []string, err error) {
	r, notes, ok := parseRange(s)
	if !ok {
		var more []string
		r, more, ok = parseSubnet(s)
		notes = append(notes, more...)
	}
	if !ok || r.Base.IsUnspecified() {
		return Range{}, notes, fmt.Errorf("%w: %s", ErrInvalidAddrs, s)
	}
	return r, notes, nil
}

func parseRange(s string) (Range, []string, bool) {
	fromS, toS, ok := strings.Cut(s, "-")
	if !ok {
		return Range{}, nil, false
	}
	to, ok := parseHost(strings.TrimLeft(toS, " "))
	if !ok {
		return Range{}, nil, false
	}
	from, ok := parseHost(strings.TrimRight(fromS, " "))
	if !ok || from.Is4() != to.Is4() {
		return Range{}, nil, false
	}
	if from.Compare(to) > 0 {
		return Range{}, []string{fmt.Sprintf("invalid IP address range: %s-%s",
			hostString(from), hostString(to))}, false
	}
	fb, tb := from.As16(), to.As16()
	size := uint64(low32(to)) - uint64(low32(from)) + 1
	if from.Is6() && [12]byte(fb[:12]) != [12]byte(tb[:12]) || size >= 1<<maxHostBits {
		return Range{}, []string{fmt.Sprintf("IP address range too large: %s-%s",
			hostString(from), hostString(to))}, false
	}
	return Range{Base: from, Size: uint32(size)}, nil, true
}

func parseSubnet(s string) (Range, []string, bool) {
	addrS, bitsS, hasBits := strings.Cut(s, "/")
	a, ok := parseHost(addrS)
	if !ok {
		return Range{}, nil, false
	}
	addrBits := a.BitLen()
	prefix := addrBits
	if hasBits {
		prefix = min(max(atoi(bitsS), 0), addrBits)
	}
	var notes []string
	hostBits := addrBits - prefix
	if hostBits > maxHostBits {
		hostBits = maxHostBits
		notes = append(notes, fmt.Sprintf("virtual IP pool too large, limiting to %s/%d",
			hostString(a), addrBits-hostBits))
	}
	size := uint32(1) << hostBits
	diff := low32(a) & (size - 1)
	base := a
	if size > 2 {
		if diff == 0 {
			// The network id is never handed out; 6.0 reports the first
			// address that is as the base.
			base = addLow32(a, 1)
			size--
		} else {
			size -= diff
		}
		size-- // the last (broadcast) address of the subnet
	} else if diff != 0 {
		size--
	}
	if size == 0 {
		notes = append(notes, fmt.Sprintf("virtual IP pool %s/%d is empty",
			hostString(a), addrBits-hostBits))
		return Range{}, notes, false
	}
	return Range{Base: base, Size: size}, notes, true
}

// hostString prints an address as strongSwan's %H does: the any-address
// as %any or %any6.
func hostString(a netip.Addr) string {
	if a.IsUnspecified() {
		if a.Is4() {
			return "%any"
		}
		return "%any6"
	}
	return a.String()
}

// String prints the range as base and size.
func (r Range) String() string {
	return hostString(r.Base) + "+" + strconv.FormatUint(uint64(r.Size), 10)
}
