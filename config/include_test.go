package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestIncludeSpecialFiles checks that an include naming a folder, FIFO or
// device is an error at the include line, and that a pattern skips only
// folders: read as empty, such a file made --load-all unload everything.
func TestIncludeSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "conf.d", "fifo.conf")
	if err := os.MkdirAll(filepath.Join(dir, "conf.d", "sub.conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	ok := filepath.Join(dir, "conf.d", "ok.conf")
	if err := os.WriteFile(ok, []byte("k = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, include, want string
	}{
		{"folder", dir, "including '" + dir + "' failed: Is a directory"},
		{"fifo", fifo, "including '" + fifo + "' failed: Not a regular file"},
		{"device", "/dev/zero", "including '/dev/zero' failed: Not a regular file"},
		{"fifo by pattern", filepath.Join(dir, "conf.d", "*.conf"),
			"including '" + fifo + "' failed: Not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			main := filepath.Join(dir, tt.name+".main")
			conf := "a = 1\ninclude " + tt.include + "\n"
			if err := os.WriteFile(main, []byte(conf), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := ParseFile(main)
			var ie *IncludeError
			if !errors.As(err, &ie) || ie.Message() != main+":2: "+tt.want {
				t.Fatalf("got %v, want %q", err, main+":2: "+tt.want)
			}
		})
	}
	// a folder matched by a pattern is skipped with strongSwan's warning
	if err := os.Remove(fifo); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dir, "glob.main")
	conf := "include conf.d/*.conf\n"
	if err := os.WriteFile(main, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	s, warns, err := ParseFile(main)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{main + ":1: unable to open '" + filepath.Join(dir, "conf.d", "sub.conf") +
		"'"}
	if !slices.Equal(warns, want) || strings.Join(s.Keys(), ",") != "k" {
		t.Errorf("warnings %q, keys %q; want %q, k", warns, s.Keys(), want)
	}
}

func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f")
	if err := os.WriteFile(f, []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadRegular(f, 5); err != nil || string(data) != "12345" {
		t.Errorf("ReadRegular(5) = %q, %v", data, err)
	}
	if _, err := ReadRegular(f, 4); Strerror(err) != "File too large" {
		t.Errorf("ReadRegular(4): %v", err)
	}
	if _, err := ReadRegular("/dev/zero", 4); Strerror(err) != "Not a regular file" {
		t.Errorf("/dev/zero: %v", err)
	}
	if _, err := ReadRegular(dir, 4); Strerror(err) != "Is a directory" {
		t.Errorf("folder: %v", err)
	}
	if _, err := ReadRegular(filepath.Join(dir, "none"), 4); !errors.Is(err, os.ErrNotExist) ||
		Strerror(err) != "No such file or directory" {
		t.Errorf("missing: %v", err)
	}
}
