package daemon

import (
	"testing"

	"github.com/charond/charond/vici"
)

func TestArgBool(t *testing.T) {
	tests := []struct {
		value string // "-" means no key
		def   bool
		want  bool
	}{
		{"-", false, false}, {"-", true, true},
		{"yes", false, true}, {"YES", false, true}, {"True", false, true},
		{"enabled", false, true}, {"1", false, true},
		{"no", true, false}, {"FALSE", true, false}, {"Disabled", true, false},
		{"0", true, false},
		{"", true, true}, {"", false, false}, {"maybe", true, true}, {"2", false, false},
		{"y\x01", true, true}, {" yes", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			m := vici.NewMessage()
			if tt.value != "-" {
				m.Set("k", tt.value)
			}
			if got := argBool(m, "k", tt.def); got != tt.want {
				t.Errorf("argBool(%q, %v) = %v", tt.value, tt.def, got)
			}
		})
	}
}

func TestArgString(t *testing.T) {
	m := vici.NewMessage().Set("a", "ok").Set("b", "bad\x00").Set("c", "").
		SetList("d", []string{"x"})
	tests := []struct {
		key  string
		want string
		ok   bool
	}{
		{"a", "ok", true}, {"b", "", false}, {"c", "", true}, {"d", "", false},
		{"none", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got, ok := argString(m, tt.key)
			if got != tt.want || ok != tt.ok {
				t.Errorf("argString(%q) = %q, %v", tt.key, got, ok)
			}
		})
	}
}
