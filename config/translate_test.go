package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTranslateGolden builds every request for each testdata/translate
// case and compares them, and the messages swanctl prints for skipped or
// failed items, with what Debian's swanctl 5.9.8 sent and printed for the
// same files (recorded once into the .golden files).
func TestTranslateGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/translate/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			file := filepath.Join(dir, "swanctl.conf")
			s, _, err := ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			base := BaseDir(file)
			var reqs, msgs strings.Builder
			add := func(cmd string, items []Item) {
				for _, it := range items {
					if it.Err != nil {
						var fe *FileError
						if !errors.As(it.Err, &fe) {
							t.Fatalf("%s: %v is not a FileError", it.Name, it.Err)
						}
						msgs.WriteString(fe.Message() + "\n")
						continue
					}
					reqs.WriteString(cmd + "\n")
					dumpMessage(&reqs, it.Message, "  ")
				}
			}
			secrets, warns := Secrets(s.Section)
			for _, w := range warns {
				msgs.WriteString(w + "\n")
			}
			add("load-shared", secrets)
			add("load-authority", Authorities(s.Section, base))
			add("load-pool", Pools(s.Section))
			add("load-conn", Connections(s.Section, base))
			golden(t, filepath.Join(dir, "requests.golden"), reqs.String())
			golden(t, filepath.Join(dir, "messages.golden"), msgs.String())
		})
	}
}

func TestSecretTypes(t *testing.T) {
	s, _, err := Parse("t.conf", []byte(`secrets {
		ike-a { secret = a }
		eapx { secret = b }
		private-k { file = k.pem }
		token-t { handle = 01 }
		IKE-upper { secret = c }
	}`))
	if err != nil {
		t.Fatal(err)
	}
	items, warns := Secrets(s.Section)
	var got []string
	for _, it := range items {
		got = append(got, it.Type+":"+it.Name)
	}
	if strings.Join(got, " ") != "ike:ike-a eap:eapx" {
		t.Errorf("items %q", got)
	}
	if strings.Join(warns, "|") != "ignoring unsupported secret 'IKE-upper'" {
		t.Errorf("warnings %q", warns)
	}
}

func TestFileErrorUnwraps(t *testing.T) {
	s, _, err := Parse("t.conf", []byte("authorities { ca { cacert = none.pem } }"))
	if err != nil {
		t.Fatal(err)
	}
	items := Authorities(s.Section, t.TempDir())
	if len(items) != 1 || !errors.Is(items[0].Err, os.ErrNotExist) {
		t.Fatalf("got %+v", items)
	}
	if !strings.HasPrefix(items[0].Err.Error(), "config: loading ca certificate '") {
		t.Errorf("error %q", items[0].Err)
	}
}

func TestSelfInheritingConnection(t *testing.T) {
	s, _, err := Parse("t.conf", []byte("connections { a { b : connections.a { } } }"))
	if err != nil {
		t.Fatal(err)
	}
	items := Connections(s.Section, ".")
	if len(items) != 1 || !errors.Is(items[0].Err, ErrNesting) {
		t.Fatalf("got %+v", items)
	}
}
