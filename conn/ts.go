package conn

import (
	"fmt"
	mathbits "math/bits"
	"net/netip"
	"strconv"
	"strings"

	"github.com/charond/charond/cnum"
)

// TS is a traffic selector: an address range (or the dynamic placeholder
// for the host's or peer's address), a protocol and a port range.
type TS struct {
	Dynamic  bool
	From, To netip.Addr // inclusive; invalid when Dynamic
	Proto    uint8      // 0 = any
	// FromPort..ToPort; 0..65535 is any, 65535..0 is OPAQUE. For ICMP the
	// high byte is the message type and the low byte the code.
	FromPort, ToPort uint16
}

// ParseTS reads a swanctl.conf traffic selector: CIDR, address, a-b range,
// dynamic, %any or %any6, each with an optional [proto/port] suffix.
func ParseTS(s string) (TS, error) {
	ts := TS{ToPort: 0xffff}
	net, sel, hasSel := strings.Cut(s, "[")
	if hasSel {
		body, ok := strings.CutSuffix(sel, "]")
		if !ok || parseProtoPort(&ts, body) != nil {
			return TS{}, fmt.Errorf("conn: invalid traffic selector %q", s)
		}
	}
	if err := parseTSAddr(&ts, strings.TrimSpace(net)); err != nil {
		return TS{}, fmt.Errorf("conn: invalid traffic selector %q: %w", s, err)
	}
	return ts, nil
}

func parseTSAddr(ts *TS, s string) error {
	switch s {
	case "dynamic":
		ts.Dynamic = true
		return nil
	case "%any": // 5.9.8 takes these as the single unspecified address
		s = "0.0.0.0"
	case "%any6":
		s = "::"
	}
	if a, b, ok := strings.Cut(s, "-"); ok {
		from, err1 := netip.ParseAddr(a)
		to, err2 := netip.ParseAddr(b)
		if err1 != nil || err2 != nil || from.Is4() != to.Is4() {
			return fmt.Errorf("bad range")
		}
		ts.From, ts.To = from, to
		return nil
	}
	addr, plen, hasLen := strings.Cut(s, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Zone() != "" {
		return fmt.Errorf("bad address")
	}
	bits := a.BitLen()
	if hasLen {
		// like atoi: leading digits, anything else ends the number
		n := 0
		for i := 0; i < len(plen) && plen[i] >= '0' && plen[i] <= '9'; i++ {
			n = n*10 + int(plen[i]-'0')
			if n > bits {
				n = bits
			}
		}
		bits = n
	}
	p := netip.PrefixFrom(a, bits).Masked()
	ts.From, ts.To = p.Addr(), lastAddr(p)
	return nil
}

func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Addr()
	if a.Is4() {
		b := a.As4()
		setHostBits(b[:], p.Bits())
		return netip.AddrFrom4(b)
	}
	b := a.As16()
	setHostBits(b[:], p.Bits())
	return netip.AddrFrom16(b)
}

// setHostBits sets every bit of b from bit on.
func setHostBits(b []byte, bit int) {
	for i := bit; i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
}

func isICMP(proto uint8) bool { return proto == 1 || proto == 58 }

func parseProtoPort(ts *TS, s string) error {
	proto, port, hasPort := strings.Cut(s, "/")
	protoName := ""
	if proto != "" {
		if n, ok := lookupProto(proto); ok {
			ts.Proto, protoName = n, proto
		} else {
			v, rest := cnum.Strtoull(proto)
			if rest != "" || v > 255 {
				return fmt.Errorf("bad protocol")
			}
			ts.Proto = uint8(v)
			protoName, _ = protoString(ts.Proto)
			if _, named := lookupProto(protoName); !named || v == 0 {
				protoName = ""
			}
		}
	}
	if !hasPort || port == "" {
		return nil
	}
	if port == "opaque" {
		ts.FromPort, ts.ToPort = 0xffff, 0
		return nil
	}
	from, to, isRange := strings.Cut(port, "-")
	lo, err := parsePort(from, protoName, ts.Proto)
	if err != nil {
		return err
	}
	hi := lo
	if isRange {
		if hi, err = parsePort(to, protoName, ts.Proto); err != nil {
			return err
		}
	}
	if isICMP(ts.Proto) {
		// a type covers all of its codes
		lo, hi = lo<<8, hi<<8|0xff
	}
	ts.FromPort, ts.ToPort = lo, hi
	return nil
}

func parsePort(s, protoName string, proto uint8) (uint16, error) {
	if !isICMP(proto) {
		if p, ok := lookupService(s, protoName); ok {
			return p, nil
		}
	}
	v, rest := cnum.Strtoull(s)
	if rest != "" || s == "" || v > 65535 || (isICMP(proto) && v > 255) {
		return 0, fmt.Errorf("bad port")
	}
	return uint16(v), nil
}

// String prints the selector as strongSwan does: net/len, or from..to when
// the range is no subnet, then [proto/port] unless both are any.
func (ts TS) String() string {
	var sb strings.Builder
	if ts.Dynamic {
		sb.WriteString("dynamic")
	} else if p, ok := rangePrefix(ts.From, ts.To); ok {
		sb.WriteString(p.String())
	} else {
		sb.WriteString(ts.From.String() + ".." + ts.To.String())
	}
	anyPort := ts.FromPort == 0 && ts.ToPort == 0xffff
	if ts.Proto == 0 && anyPort {
		return sb.String()
	}
	name, named := "0", false
	if ts.Proto != 0 {
		name, named = protoString(ts.Proto)
	}
	sb.WriteString("[" + name)
	if !anyPort {
		sb.WriteString("/" + ts.portString(name, named))
	}
	sb.WriteString("]")
	return sb.String()
}

func (ts TS) portString(protoName string, named bool) string {
	if ts.FromPort == 0xffff && ts.ToPort == 0 {
		return "OPAQUE"
	}
	if isICMP(ts.Proto) {
		from, to := ts.FromPort>>8, ts.ToPort>>8
		if from == to {
			return strconv.Itoa(int(from))
		}
		return fmt.Sprintf("%d-%d", from, to)
	}
	if ts.FromPort != ts.ToPort {
		return fmt.Sprintf("%d-%d", ts.FromPort, ts.ToPort)
	}
	if !named {
		protoName = ""
	}
	if s, ok := serviceName(ts.FromPort, protoName); ok {
		return s
	}
	return strconv.Itoa(int(ts.FromPort))
}

// rangePrefix reports whether from..to is exactly one subnet. The only
// candidate is the prefix the two addresses share: a subnet's first and
// last address differ in its first host bit.
func rangePrefix(from, to netip.Addr) (netip.Prefix, bool) {
	if from.BitLen() != to.BitLen() || from.Is4In6() != to.Is4In6() {
		return netip.Prefix{}, false
	}
	f, t := from.As16(), to.As16()
	first := 0
	if from.Is4() {
		first = 12
	}
	bits := 0
	for i := first; i < 16; i++ {
		if x := f[i] ^ t[i]; x != 0 {
			bits += mathbits.LeadingZeros8(x)
			break
		}
		bits += 8
	}
	p := netip.PrefixFrom(from, bits)
	if p.Masked().Addr() == from && lastAddr(p) == to {
		return p, true
	}
	return netip.Prefix{}, false
}
