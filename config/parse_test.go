package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with the file, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// TestGrammarGolden parses each testdata/grammar/*.conf and compares the
// raw tree, the resolved view and the warnings with its .golden file.
func TestGrammarGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/grammar/*.conf")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			s, warns, err := ParseFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			b.WriteString("# tree\n")
			b.WriteString(dumpTree(s))
			b.WriteString("# view\n")
			b.WriteString(dumpView(s.Section))
			b.WriteString("# warnings\n")
			for _, w := range warns {
				b.WriteString(w + "\n")
			}
			golden(t, strings.TrimSuffix(f, ".conf")+".golden", b.String())
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"stray brace", "a = 1\n}\n", "t.conf:2:1: unexpected '}'"},
		{"unclosed section", "a {\n b = 1\n",
			"t.conf:3:1: unexpected end of file, expected '}' to close 'a' opened at 1:1"},
		{"string as name", "\"a\" = 1", "t.conf:1:1: unexpected string detected"},
		{"unterminated", "a = \"abc\n", "t.conf:1:5: unterminated string detected"},
		{"escape at end", "a = \"abc\\", "t.conf:1:5: unterminated string detected"},
		{"name alone", "a\n", "t.conf:1:1: expected '=', '{' or ':' after 'a'"},
		{"name then brace", "s { a }", "t.conf:1:5: expected '=', '{' or ':' after 'a'"},
		{"dot in name", "a.b = 1", "t.conf:1:2: unexpected '.'"},
		{"two names", "a b = 1", "t.conf:1:3: unexpected 'b'"},
		{"ref without brace", "a : b\nc = 1", "t.conf:2:1: unexpected 'c'"},
		{"empty ref", "a : { }", "t.conf:1:5: unexpected '{'"},
		{"trailing ref dot", "a : b. { }", "t.conf:1:8: unexpected '{'"},
		{"leading equals", "= 1", "t.conf:1:1: unexpected '='"},
		{"bare include", "include\n", "t.conf:1:1: expected '=', '{' or ':' after 'include'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse("t.conf", []byte(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrSyntax) {
				t.Errorf("%v does not wrap ErrSyntax", err)
			}
			if got := strings.TrimPrefix(err.Error(), "config: "); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseFileErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.conf")
	if err := os.WriteFile(bad, []byte("ok = 1\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dir, "main.conf")
	if err := os.WriteFile(main, []byte("s {\n include bad.conf\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	loop := filepath.Join(dir, "loop.conf")
	if err := os.WriteFile(loop, []byte("include loop.conf\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, want string
	}{
		{"missing main", filepath.Join(dir, "none.conf"), "failed to open config file"},
		{"error in include", main, bad + ":2:1: unexpected '}'"},
		{"include loop", loop, "nesting deeper than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseFile(tt.file)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestUnreadableInclude(t *testing.T) {
	if os.Getuid() == 0 {
		t.Log("running as root: mode bits do not stop reads, testing a directory match")
	}
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.conf")
	if err := os.WriteFile(secret, []byte("a = 1\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dir, "main.conf")
	if err := os.WriteFile(main, []byte("include secret.conf\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := ParseFile(main)
	if os.Getuid() == 0 {
		if err != nil {
			t.Fatalf("root reads any file, got %v", err)
		}
		return
	}
	if err == nil || !errors.Is(err, os.ErrPermission) {
		t.Fatalf("got %v, want a permission error", err)
	}
}

func TestParseFileMainDevice(t *testing.T) {
	s, warns, err := ParseFile("/dev/null")
	if err != nil || len(warns) != 0 || len(s.Keys()) != 0 {
		t.Fatalf("ParseFile(/dev/null) = %v, %v, %v", s.Keys(), warns, err)
	}
	if _, _, err := ParseFile(t.TempDir()); err == nil {
		t.Fatal("a folder as the main file was accepted")
	}
}
