package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrSyntax is wrapped by every SyntaxError.
var ErrSyntax = errors.New("config: syntax error")

// SyntaxError locates a grammar violation. Line and Column count from 1;
// the column counts bytes.
type SyntaxError struct {
	File   string
	Line   int
	Column int
	Msg    string
}

// Error returns "config: file:line:column: message".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("config: %s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// Unwrap makes errors.Is(err, ErrSyntax) hold.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// maxIncludeDepth bounds include nesting, so a file including itself fails
// instead of recursing forever.
const maxIncludeDepth = 32

// ParseFile reads the file at path (a glob pattern is expanded like an
// include) and everything it includes. Warnings are strongSwan's messages
// for include patterns that matched nothing.
func ParseFile(path string) (*Settings, []string, error) {
	s := newSettings()
	var warns []string
	if err := parsePattern(s.root, path, 0, 0, &warns, ""); err != nil {
		return nil, warns, err
	}
	return s, warns, nil
}

// Parse parses data as a file called name; relative include patterns are
// taken relative to name's folder.
func Parse(name string, data []byte) (*Settings, []string, error) {
	s := newSettings()
	var warns []string
	p := &parser{file: name, data: data, line: 1, col: 1, warns: &warns}
	if err := p.body(s.root, true); err != nil {
		return nil, warns, err
	}
	return s, warns, nil
}

// parsePattern expands pattern and parses each match into sec, in order.
// from is "file:line" of the include line, "" for the main file; nest is
// the number of sections open around it.
func parsePattern(sec *node, pattern string, depth, nest int, warns *[]string,
	from string) error {
	if depth > maxIncludeDepth {
		return fmt.Errorf("config: including '%s': nesting deeper than %d",
			pattern, maxIncludeDepth)
	}
	files, warn := expand(pattern)
	if warn != "" {
		if from == "" {
			return fmt.Errorf("config: failed to open config file '%s': %w",
				pattern, os.ErrNotExist)
		}
		*warns = append(*warns, warn)
		return nil
	}
	for _, f := range files {
		var data []byte
		var err error
		if from == "" {
			data, err = readMain(f)
		} else {
			data, err = ReadRegular(f, MaxConfigFile)
			if errors.Is(err, syscall.EISDIR) && hasMeta(pattern) {
				// strongSwan skips what it cannot open as a file; a folder
				// matched by conf.d/* is no reason to fail.
				*warns = append(*warns, fmt.Sprintf("%s: unable to open '%s'", from, f))
				continue
			}
			// Anything else, a FIFO or device matched by a pattern too, is
			// an error: read as empty, it would unload what it should hold.
			if err != nil {
				return &IncludeError{From: from, Path: f, Err: err}
			}
		}
		if err != nil {
			return err
		}
		p := &parser{file: f, data: data, line: 1, col: 1, warns: warns, depth: depth,
			nest: nest}
		if err := p.body(sec, true); err != nil {
			return err
		}
	}
	return nil
}

// MaxConfigFile bounds one settings file, twenty times a file of 10,000
// connections.
const MaxConfigFile = 64 << 20

// readMain reads the main file, which may be a device (/dev/null for no
// settings) or a FIFO, but not a folder nor more than MaxConfigFile bytes.
func readMain(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: failed to open config file '%s': %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		err = syscall.EISDIR
	}
	var data []byte
	if err == nil {
		data, err = io.ReadAll(io.LimitReader(f, MaxConfigFile+1))
	}
	if err == nil && len(data) > MaxConfigFile {
		err = syscall.EFBIG
	}
	if err != nil {
		return nil, fmt.Errorf("config: failed to read config file '%s': %s", path,
			Strerror(err))
	}
	return data, nil
}

// IncludeError reports an included file that cannot be read.
type IncludeError struct {
	From string // "file:line" of the include
	Path string
	Err  error
}

// Message returns the line swanctl prints, without a package prefix.
func (e *IncludeError) Message() string {
	return fmt.Sprintf("%s: including '%s' failed: %s", e.From, e.Path, Strerror(e.Err))
}

func (e *IncludeError) Error() string { return "config: " + e.Message() }

// Unwrap returns the file system error.
func (e *IncludeError) Unwrap() error { return e.Err }

// expand returns the files matching pattern in sorted order, or the warning
// strongSwan logs when there are none: glob(3) reports a missing folder
// before the first wildcard as an error, everything else as no match.
func expand(pattern string) ([]string, string) {
	if !hasMeta(pattern) {
		if _, err := os.Lstat(pattern); err != nil {
			return nil, fmt.Sprintf("no files found matching '%s'", pattern)
		}
		return []string{pattern}, ""
	}
	files, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Sprintf("expanding file pattern '%s' failed: %v", pattern, err)
	}
	if len(files) == 0 {
		if dir := fixedDir(pattern); dir != "" && !exists(dir) {
			return nil, enoent(pattern)
		}
		return nil, fmt.Sprintf("no files found matching '%s'", pattern)
	}
	// Glob cleans the folder part ("./d/x" comes back as "d/x"); put the
	// folder back as written, as strongSwan prints and reads it.
	if slash := strings.LastIndexByte(pattern, '/'); slash >= 0 && !hasMeta(pattern[:slash]) {
		for i, f := range files {
			files[i] = pattern[:slash+1] + filepath.Base(f)
		}
	}
	return files, ""
}

// fixedDir returns the folder holding the first wildcard of pattern.
func fixedDir(pattern string) string {
	meta := strings.IndexAny(pattern, `*?[\`)
	slash := strings.LastIndexByte(pattern[:meta], '/')
	switch {
	case slash < 0:
		return "."
	case slash == 0:
		return "/"
	}
	return pattern[:slash]
}

func enoent(pattern string) string {
	return fmt.Sprintf("expanding file pattern '%s' failed: No such file or directory", pattern)
}

func hasMeta(s string) bool { return strings.ContainsAny(s, `*?[\`) }

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// includePath joins a relative pattern to the including file's folder.
func includePath(file, pattern string) string {
	if filepath.IsAbs(pattern) {
		return pattern
	}
	return filepath.Dir(file) + "/" + pattern
}
