package vici

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The example tree of the protocol description, element by element.
func exampleMessage() *Message {
	p1 := NewMessage().Set("addrs", "10.0.0.0/24").SetList("dns", []string{"10.0.0.1", "10.0.0.2"})
	return NewMessage().Set("note", "x").SetSection("p1", p1)
}

const exampleHex = `
03 04 6e6f7465 0001 78
01 02 7031
03 05 6164647273 000b 31302e302e302e302f3234
04 03 646e73
05 0008 31302e302e302e31
05 0008 31302e302e302e32
06
02`

func TestEncodeGolden(t *testing.T) {
	tests := []struct {
		name string
		msg  *Message
		want string
	}{
		{"empty", NewMessage(), ""},
		{"key value", NewMessage().Set("k", "v"), "03 01 6b 0001 76"},
		{"empty value", NewMessage().Set("k", ""), "03 01 6b 0000"},
		{"empty list", NewMessage().SetList("l", nil), "04 01 6c 06"},
		{"list", NewMessage().SetList("l", []string{"a", ""}), "04 01 6c 05 0001 61 05 0000 06"},
		{"empty section", NewMessage().SetSection("s", nil), "01 01 73 02"},
		{"empty section name", NewMessage().SetSection("", nil), "01 00 02"},
		{"nested", NewMessage().SetSection("a", NewMessage().SetSection("b",
			NewMessage().Set("c", "d"))), "01 01 61 01 01 62 03 01 63 0001 64 02 02"},
		{"example", exampleMessage(), exampleHex},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.msg.Encode()
			if err != nil {
				t.Fatal(err)
			}
			want := unhex(t, tt.want)
			if !bytes.Equal(got, want) {
				t.Fatalf("encode = % x, want % x", got, want)
			}
			back, err := Decode(got)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			again, _ := back.Encode()
			if !bytes.Equal(again, want) {
				t.Fatalf("round trip = % x, want % x", again, want)
			}
		})
	}
}

func TestSetReplacesInPlace(t *testing.T) {
	m := NewMessage().Set("a", "1").Set("b", "2").Set("a", "3")
	if got := strings.Join(m.Keys(), ","); got != "a,b" {
		t.Fatalf("keys = %s", got)
	}
	if v, _ := m.Get("a"); v != "3" {
		t.Fatalf("a = %q", v)
	}
	m.SetList("b", []string{"x"})
	if _, ok := m.Get("b"); ok {
		t.Fatal("b is still a key/value")
	}
	if l, ok := m.List("b"); !ok || len(l) != 1 {
		t.Fatalf("b = %v %v", l, ok)
	}
}

func TestEncodeLimits(t *testing.T) {
	long := strings.Repeat("n", 256)
	if _, err := NewMessage().Set(long, "").Encode(); !errors.Is(err, ErrEncoding) {
		t.Fatalf("long name: %v", err)
	}
	big := strings.Repeat("v", 65536)
	if _, err := NewMessage().Set("k", big).Encode(); !errors.Is(err, ErrEncoding) {
		t.Fatalf("long value: %v", err)
	}
	if _, err := NewMessage().Set("k", strings.Repeat("v", 65535)).Encode(); err != nil {
		t.Fatalf("longest value: %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ name, in string }{
		{"section end at root", "02"},
		{"unterminated section", "01 01 73"},
		{"list item at root", "05 0000"},
		{"list end at root", "06"},
		{"unterminated list", "04 01 6c 05 0000"},
		{"section in list", "04 01 6c 01 01 73 02 06"},
		{"truncated name", "03 05 6b"},
		{"truncated value", "03 01 6b 0005 76"},
		{"missing value length", "03 01 6b 00"},
		{"unprintable name", "03 01 0a 0000"},
		{"byte 0", "00"},
		{"byte 8", "08"},
		{"end within section", "01 01 73 07 02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if m, err := Decode(unhex(t, tt.in)); !errors.Is(err, ErrEncoding) {
				t.Fatalf("Decode = %v, %v; want an encoding error", m, err)
			}
		})
	}
}

func TestDecodeEndAtRootStops(t *testing.T) {
	// As strongSwan 6.0: byte 7 at the root ends the message.
	m, err := Decode(unhex(t, "03 01 61 0001 31 07 03 01 62 0001 32"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(m.Keys(), ","); got != "a" {
		t.Fatalf("keys = %q, want a", got)
	}
}

func TestDecodeLimits(t *testing.T) {
	deep := strings.Repeat("01 01 73 ", 5) + strings.Repeat("02 ", 5)
	if _, err := DecodeWithLimits(unhex(t, deep), DecodeLimits{MaxDepth: 4}); err == nil {
		t.Fatal("depth 5 accepted with limit 4")
	}
	if _, err := DecodeWithLimits(unhex(t, deep), DecodeLimits{MaxDepth: 5}); err != nil {
		t.Fatalf("depth 5 refused with limit 5: %v", err)
	}
	many := "04 01 6c" + strings.Repeat(" 05 0000", 10) + " 06"
	if _, err := DecodeWithLimits(unhex(t, many), DecodeLimits{MaxElements: 10}); err == nil {
		t.Fatal("11 elements accepted with limit 10")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(unhex(f, exampleHex))
	f.Add([]byte{})
	f.Add(unhex(f, "01 00 02"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeWithLimits(data, DecodeLimits{MaxDepth: 32, MaxElements: 10000})
		if err != nil {
			return
		}
		enc, err := m.Encode()
		if err != nil {
			t.Fatalf("decoded message does not encode: %v", err)
		}
		m2, err := Decode(enc)
		if err != nil {
			t.Fatalf("re-encoded message does not decode: %v", err)
		}
		enc2, _ := m2.Encode()
		if !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding not stable: % x vs % x", enc, enc2)
		}
	})
}

func TestMessageString(t *testing.T) {
	got := exampleMessage().SetSection("e", nil).Set("bin", "\x00\xff").String()
	want := "{note=x p1 {addrs=10.0.0.0/24 dns=[10.0.0.1 10.0.0.2]} e {} bin=0x00ff}"
	if got != want {
		t.Fatalf("String() = %s, want %s", got, want)
	}
	var b strings.Builder
	AppendPretty(&b, NewMessage().Set("k", "v").SetList("l", []string{"a"}).
		SetSection("s", NewMessage().Set("x", "y")), 1)
	wantPretty := "  k = v\n  l = [\n    a\n  ]\n  s {\n    x = y\n  }\n"
	if b.String() != wantPretty {
		t.Fatalf("pretty:\n%s\nwant:\n%s", b.String(), wantPretty)
	}
}

func TestEncodedSize(t *testing.T) {
	msgs := []*Message{
		NewMessage(),
		exampleMessage(),
		NewMessage().SetList("l", nil).
			SetSection("s", NewMessage().SetList("m", []string{"", "x"})),
	}
	for _, m := range msgs {
		enc, err := m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if n, err := m.EncodedSize(); err != nil || n != len(enc) {
			t.Fatalf("EncodedSize = %d, %v; encoding has %d bytes", n, err, len(enc))
		}
	}
	big := NewMessage().SetSection("s",
		NewMessage().SetList("l", []string{strings.Repeat("x", 65536)}))
	if _, err := big.EncodedSize(); !errors.Is(err, ErrEncoding) {
		t.Fatalf("oversize value: %v", err)
	}
}
