package creds

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestReadFileRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, make([]byte, MaxFileSize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/dev/zero", fifo, dir, big} {
		data, err := ReadFile(path)
		if !errors.Is(err, ErrFileRefused) {
			t.Errorf("ReadFile(%s) = %d bytes, %v; want ErrFileRefused", path, len(data), err)
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want ErrNotExist", err)
	}
}

func TestReadFileReadsRegularFiles(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 100, MaxFileSize} {
		want := bytes.Repeat([]byte{'a'}, n)
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, want, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("ReadFile of %d bytes = %d bytes, %v", n, len(got), err)
		}
	}
}
