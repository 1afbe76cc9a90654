package identity

import (
	"bytes"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		typ  Type
		data []byte // nil: not checked
		str  string
	}{
		{"%any", Any, []byte{}, "%any"},
		{"", Any, []byte{}, "%any"},
		{"0.0.0.0", Any, nil, "%any"},
		{"::", Any, nil, "%any"},
		{"*", Any, nil, "%any"},
		{"192.168.0.100", IPv4Addr, []byte{192, 168, 0, 100}, "192.168.0.100"},
		{"fec1::1", IPv6Addr, nil, "fec1::1"},
		{"::ffff:10.0.0.1", IPv6Addr, nil, "::ffff:10.0.0.1"},
		{"moon.strongswan.org", FQDN, []byte("moon.strongswan.org"), "moon.strongswan.org"},
		{"@moon.strongswan.org", FQDN, []byte("moon.strongswan.org"), "moon.strongswan.org"},
		{"carol@strongswan.org", RFC822Addr, []byte("carol@strongswan.org"),
			"carol@strongswan.org"},
		{"@@carol", RFC822Addr, []byte("carol"), "carol"},
		{"@#0a0b", KeyID, []byte{10, 11}, "0a:0b"},
		{"@#c0ffee", KeyID, []byte{0xc0, 0xff, 0xee}, "c0:ff:ee"},
		{"keyid:hello", KeyID, []byte("hello"), "hello"},
		{"fqdn:1.2.3.4", FQDN, []byte("1.2.3.4"), "1.2.3.4"},
		{"email:carol", RFC822Addr, []byte("carol"), "carol"},
		{"ipv4:10.0.0.1", IPv4Addr, []byte{10, 0, 0, 1}, "10.0.0.1"},
		{"C=CH, O=strongSwan Project, CN=carol", DERASN1DN, nil,
			"C=CH, O=strongSwan Project, CN=carol"},
		{"c=CH,o=strongSwan Project,cn=carol", DERASN1DN, nil,
			"C=CH, O=strongSwan Project, CN=carol"},
		{"/C=CH/O=Org/CN=a, b", DERASN1DN, nil, "C=CH, O=Org, CN=a, b"},
		{"CN=carol, E=carol@strongswan.org", DERASN1DN, nil,
			"CN=carol, E=carol@strongswan.org"},
		{"CN=a\\,b", DERASN1DN, nil, "CN=a,b"},
		{"bogus=1", KeyID, []byte("bogus=1"), "bogus=1"},
		{"fe80::1%eth0", KeyID, nil, "fe80::1%eth0"},
		{"not valid:x", KeyID, nil, "not valid:x"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			id := Parse(tt.in)
			if id.Type() != tt.typ {
				t.Fatalf("type %v, want %v", id.Type(), tt.typ)
			}
			if tt.data != nil && !bytes.Equal(id.Data(), tt.data) {
				t.Errorf("data %x, want %x", id.Data(), tt.data)
			}
			if got := id.String(); got != tt.str {
				t.Errorf("String() = %q, want %q", got, tt.str)
			}
		})
	}
}

func TestDNEncoding(t *testing.T) {
	// DER of C=CH, CN=a: SEQUENCE { SET { SEQUENCE { OID 2.5.4.6, PrintableString "CH" } },
	// SET { SEQUENCE { OID 2.5.4.3, PrintableString "a" } } }
	want := []byte{0x30, 0x19,
		0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 'C', 'H',
		0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x13, 0x01, 'a'}
	if got := Parse("C=CH, CN=a").Data(); !bytes.Equal(got, want) {
		t.Errorf("DER %x, want %x", got, want)
	}
	// A value outside PrintableString is UTF8String; e-mail is IA5String.
	if got := Parse("CN=a_b").Data(); got[len(got)-5] != tagUTF8 {
		t.Errorf("CN=a_b encoded with tag %d, want UTF8String", got[len(got)-5])
	}
	if got := Parse("E=a@b").Data(); got[len(got)-5] != tagIA5 {
		t.Errorf("E=a@b encoded with tag %d, want IA5String", got[len(got)-5])
	}
}

func TestEquality(t *testing.T) {
	tests := []struct {
		a, b  string
		equal bool
	}{
		{"carol@strongswan.org", "carol@strongswan.org", true},
		{"@carol", "carol", true},
		{"carol@x", "@carol@x", false}, // FQDN vs RFC822
		{"carol@x", "@@carol@x", true},
		{"C=CH, CN=carol", "c=CH,cn=carol", true},
		{"10.0.0.1", "ipv4:10.0.0.1", true},
		{"10.0.0.1", "fqdn:10.0.0.1", false},
		{"%any", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.a+"|"+tt.b, func(t *testing.T) {
			if got := Parse(tt.a) == Parse(tt.b); got != tt.equal {
				t.Errorf("equal = %v, want %v", got, tt.equal)
			}
		})
	}
}

func TestStringUnprintable(t *testing.T) {
	tests := []struct {
		id   Identity
		want string
	}{
		{New(FQDN, []byte("a\x01b")), "a?b"},
		{New(KeyID, bytes.Repeat([]byte("a"), 20)), "61:61:61:61:61:61:61:61:61:61:" +
			"61:61:61:61:61:61:61:61:61:61"},
		{New(IPv4Addr, []byte{1, 2, 3}), "(invalid ID_IPV4_ADDR)"},
		{New(DERASN1DN, []byte{1, 2}), "(invalid ID_DER_ASN1_DN)"},
		{New(Any, []byte("x")), "%any"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.id.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
