package pool

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseAttribute(t *testing.T) {
	v6 := func(tail ...byte) []byte {
		b := make([]byte, 16)
		b[0], b[1] = 0xfe, 0xc1
		return append(b[:16-len(tail)], tail...)
	}
	tests := []struct {
		key, value string
		typ        AttrType
		enc        []byte
		err        error
	}{
		{"address", "10.3.0.1", 1, []byte{10, 3, 0, 1}, nil},
		{"address", "fec1::1", 8, v6(1), nil},
		{"dns", "8.8.8.8", 3, []byte{8, 8, 8, 8}, nil},
		{"dns", "fec1::53", 10, v6(0x53), nil},
		{"nbns", "10.0.0.5", 4, []byte{10, 0, 0, 5}, nil},
		{"nbns", "fec1::5", 11, v6(5), nil},
		{"dhcp", "10.0.0.6", 6, []byte{10, 0, 0, 6}, nil},
		{"dhcp", "fec1::6", 12, v6(6), nil},
		{"netmask", "255.255.255.0", 2, []byte{255, 255, 255, 0}, nil},
		{"netmask", "fec1::", 9, v6(), nil},
		{"server", "10.0.0.7", 23456, []byte{10, 0, 0, 7}, nil},
		{"server", "fec1::7", 23457, v6(7), nil},
		{"subnet", "10.1.0.0/16", 13, []byte{10, 1, 0, 0, 255, 255, 0, 0}, nil},
		{"subnet", "10.1.2.3/16", 13, []byte{10, 1, 0, 0, 255, 255, 0, 0}, nil},
		{"subnet", "10.1.2.3", 13, []byte{10, 1, 2, 3}, nil},
		{"subnet", "0.0.0.0/0", 13, []byte{0, 0, 0, 0, 0, 0, 0, 0}, nil},
		{"subnet", "fec1::/64", 15, append(v6(), 64), nil},
		{"subnet", "fec1::1/200", 15, append(v6(1), 128), nil},
		{"split_include", "10.2.0.0/24", 28676, []byte{10, 2, 0, 0, 255, 255, 255, 0}, nil},
		{"split_include", "fec1::/64", 28676, append(v6(), 64), nil},
		{"split_exclude", "192.168.1.0/24", 28678,
			[]byte{192, 168, 1, 0, 255, 255, 255, 0}, nil},
		{"p_cscf", "10.0.0.9", 20, []byte{10, 0, 0, 9}, nil},
		{"p_cscf", "fec1::9", 21, v6(9), nil},
		{"25", "example.com", 25, []byte("example.com"), nil},
		{"25abc", "example.com", 25, []byte("example.com"), nil},
		{"7001", "10.0.0.1", 7001, []byte{10, 0, 0, 1}, nil},
		{"7001", "fec1::1", 7001, v6(1), nil},
		{"65535", "0x0a0b", 65535, []byte("0x0a0b"), nil},
		{"28672", "", 28672, []byte{}, nil},
		{"28672", "bin\x00ary", 28672, []byte("bin\x00ary"), nil},
		{"28672", strings.Repeat("1", 300), 28672, []byte(strings.Repeat("1", 300)), nil},
		{"dns", "garbage", 0, nil, ErrInvalidAttributeValue},
		{"dns", "", 0, nil, ErrInvalidAttributeValue},
		{"dns", "8.8.8.8 ", 0, nil, ErrInvalidAttributeValue},
		// The prefix is read with atoi: no digits is /0.
		{"subnet", "10.9.0.0/x/y", 13, []byte{0, 0, 0, 0, 0, 0, 0, 0}, nil},
		{"split_include", "nonsense/24", 0, nil, ErrInvalidAttributeValue},
		{"netmask", "fe80::1%eth0", 0, nil, ErrInvalidAttributeValue},
		{"foo", "1.2.3.4", 0, nil, ErrInvalidAttribute},
		{"DNS", "1.2.3.4", 0, nil, ErrInvalidAttribute},
		{"0", "1.2.3.4", 0, nil, ErrInvalidAttribute},
		{"0x19", "x", 0, nil, ErrInvalidAttribute},
		{"addrs", "10.0.0.0/24", 0, nil, ErrInvalidAttribute},
		{"-3", "x", 0, nil, ErrInvalidAttribute},
		{"65536", "x", 0, nil, ErrInvalidAttribute},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			a, err := ParseAttribute(tt.key, tt.value)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("got %v, %v; want %v", a, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Type != tt.typ || !bytes.Equal(a.Value, tt.enc) {
				t.Errorf("got %d %x, want %d %x", a.Type, a.Value, tt.typ, tt.enc)
			}
		})
	}
}

func TestParseAttributeErrorText(t *testing.T) {
	_, err := ParseAttribute("dns", "x")
	if got := err.Error(); got != "pool: invalid attribute value for dns" {
		t.Errorf("error %q", got)
	}
	_, err = ParseAttribute("foo", "x")
	if got := err.Error(); got != "pool: invalid attribute: foo" {
		t.Errorf("error %q", got)
	}
}
