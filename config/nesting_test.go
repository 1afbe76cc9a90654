package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func nestedSections(levels int) string {
	return strings.Repeat("a {\n", levels) + "k = v\n" + strings.Repeat("}\n", levels)
}

func TestNestingLimit(t *testing.T) {
	s, _, err := Parse("t.conf", []byte(nestedSections(maxNesting)))
	if err != nil {
		t.Fatalf("%d levels: %v", maxNesting, err)
	}
	if v, _ := s.Get(strings.Repeat("a.", maxNesting) + "k"); v != "v" {
		t.Errorf("innermost key = %q, want v", v)
	}
	// millions of levels overflowed the stack; the first level too many
	// is a syntax error where its section starts
	_, _, err = Parse("t.conf", []byte(nestedSections(1_000_000)))
	want := "config: t.conf:65:1: section 'a' nested deeper than 64 levels"
	if !errors.Is(err, ErrSyntax) || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
	_, _, err = Parse("t.conf", []byte(strings.Repeat("a {\n", 64)+"b : a {"))
	if err == nil || !strings.Contains(err.Error(), "t.conf:65:1: section 'b' nested") {
		t.Fatalf("reference section: got %v", err)
	}
}

// TestNestingAcrossIncludes counts the sections open around an include.
func TestNestingAcrossIncludes(t *testing.T) {
	dir := t.TempDir()
	inner := filepath.Join(dir, "inner.conf")
	if err := os.WriteFile(inner, []byte(nestedSections(40)), 0o644); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dir, "main.conf")
	outer := strings.Repeat("o {\n", 30) + "include inner.conf\n" + strings.Repeat("}\n", 30)
	if err := os.WriteFile(main, []byte(outer), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := ParseFile(main)
	want := inner + ":35:1: section 'a' nested deeper than 64 levels"
	if err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
}
