package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that no input panics or hangs the parser, and that a
// tree that parses can be enumerated and dumped.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/grammar/*.conf")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(refsConf))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _, err := Parse("fuzz.conf", data)
		if err != nil {
			return
		}
		_ = dumpTree(s)
		_ = dumpView(s.Section)
		_ = Pools(s.Section)
		_ = Connections(s.Section, "testdata/none")
		_, _ = Secrets(s.Section)
	})
}
