package config

import (
	"slices"
	"testing"
)

// The expectations below are what Debian's swanctl 5.9.8 sent for the same
// values.
func TestSplitList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a,,b , c ,", []string{"a", "b", "c"}},
		{"'x, y', z", []string{"x, y", "z"}},
		{"ab'cd,ef'gh, i", []string{"ab'cd", "ef'gh", "i"}},
		{"'unterminated, rest", []string{"'unterminated", "rest"}},
		{"' spaced ' , x", []string{" spaced ", "x"}},
		{"'a'b, c", []string{"a", "b", "c"}},
		{"'a,b' 'c,d', e", []string{"a,b", "c,d", "e"}},
		{"'', x", []string{"", "x"}},
		{"x'', y", []string{"x''", "y"}},
		{"\"a,b\", c", []string{"a,b", "c"}},
		{"a\tb,c", []string{"a\tb", "c"}},
		{"  ", []string{}},
		{",", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := splitList(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestInlineBlob(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"0x414243", "ABC", true},
		{"0X41:42:43", "ABC", true},
		{"0x414", "\x04\x14", true},
		{"0x4g41", "@A", true},
		{"0xZZ", "\x00", true},
		{"0x", "", true},
		{"0sQUJD", "ABC", true},
		{"0SQUI=", "AB", true},
		{"0sQQ==", "A", true},
		{"0sQUJDR", "ABC", true},
		{"0sQ!JD", "O\xf2C", true},
		{"0s YWJj", "\xfd\x85\x89", true},
		{"0sQQ==QUJD", "A\x00\x00A", true},
		{"0s", "", true},
		{"plain", "", false},
		{"0", "", false},
		{"0y12", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := inlineBlob(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %q %v, want %q %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestLongNames(t *testing.T) {
	name := string(slices.Repeat([]byte("p"), 255))
	s, _, err := Parse("t.conf", []byte("pools { "+name+" { addrs = 10.0.0.1 } }"))
	if err != nil {
		t.Fatal(err)
	}
	items := Pools(s.Section)
	if len(items) != 1 || items[0].Name != name {
		t.Fatalf("got %+v", items)
	}
	if v, ok := items[0].Message.Section(name).Get("addrs"); !ok || v != "10.0.0.1" {
		t.Errorf("addrs %q %v", v, ok)
	}
}
