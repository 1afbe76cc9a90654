package config

import (
	"fmt"
	"strings"
)

// parser reads one file's bytes into a section tree. It tracks line and
// column of the next byte for error messages.
type parser struct {
	file  string
	data  []byte
	pos   int
	line  int
	col   int
	depth int // include nesting
	nest  int // sections open, counting those of including files
	warns *[]string
}

const eof = -1

func (p *parser) peek() int {
	if p.pos >= len(p.data) {
		return eof
	}
	return int(p.data[p.pos])
}

func (p *parser) next() int {
	c := p.peek()
	if c == eof {
		return eof
	}
	p.pos++
	if c == '\n' {
		p.line++
		p.col = 1
	} else {
		p.col++
	}
	return c
}

func (p *parser) errAt(line, col int, format string, args ...any) error {
	return &SyntaxError{File: p.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) errf(format string, args ...any) error {
	return p.errAt(p.line, p.col, format, args...)
}

// unexpected describes the next byte for an error message.
func (p *parser) unexpected() error {
	switch c := p.peek(); c {
	case eof:
		return p.errf("unexpected end of file")
	case '"':
		return p.errf("unexpected string detected")
	default:
		return p.errf("unexpected '%c'", c)
	}
}

// skipBlank skips whitespace, newlines and comments.
func (p *parser) skipBlank() {
	for {
		switch p.peek() {
		case ' ', '\t', '\r', '\n':
			p.next()
		case '#':
			p.skipComment()
		default:
			return
		}
	}
}

func (p *parser) skipComment() {
	for c := p.peek(); c != eof && c != '\n'; c = p.peek() {
		p.next()
	}
}

func isNameByte(c int) bool {
	if c == eof {
		return false
	}
	return !strings.ContainsRune("#{}:.,=\"\r\n\t ", rune(c))
}

func (p *parser) name() string {
	start := p.pos
	for isNameByte(p.peek()) {
		p.next()
	}
	return string(p.data[start:p.pos])
}

// body parses statements into sec up to its closing brace (or, at the top
// of a file, up to the end of the file).
func (p *parser) body(sec *node, top bool) error {
	return p.section(sec, top, "", 0, 0)
}

// section parses statements into sec up to its closing brace; name, line
// and col say where a nested section was opened, for the error when the
// file ends first.
func (p *parser) section(sec *node, top bool, name string, line, col int) error {
	for {
		p.skipBlank()
		c := p.peek()
		switch {
		case c == eof && top:
			return nil
		case c == eof:
			return p.errf("unexpected end of file, expected '}' to close '%s' opened at %d:%d",
				name, line, col)
		case c == '}' && !top:
			p.next()
			return nil
		case !isNameByte(c):
			return p.unexpected()
		}
		line, col := p.line, p.col
		name := p.name()
		if name == "include" && p.isInclude() {
			if err := p.include(sec, line); err != nil {
				return err
			}
			continue
		}
		p.skipBlank()
		if c := p.peek(); (c == '{' || c == ':') && p.nest >= maxNesting {
			return p.errAt(line, col, "section '%s' nested deeper than %d levels",
				name, maxNesting)
		}
		switch p.peek() {
		case '=':
			p.next()
			value, err := p.value()
			if err != nil {
				return err
			}
			sec.set(name, value)
		case '{':
			p.next()
			if err := p.nested(sec.section(name, nil), name, line, col); err != nil {
				return err
			}
		case ':':
			p.next()
			refs, err := p.refs()
			if err != nil {
				return err
			}
			if err := p.nested(sec.section(name, refs), name, line, col); err != nil {
				return err
			}
		default:
			if p.peek() == eof || p.peek() == '}' {
				return p.errAt(line, col, "expected '=', '{' or ':' after '%s'", name)
			}
			return p.unexpected()
		}
	}
}

// maxNesting bounds section nesting, far above any real file: each level
// is a recursion, and millions of them overflowed the stack.
const maxNesting = 64

// nested parses a sub-section one level deeper.
func (p *parser) nested(sec *node, name string, line, col int) error {
	p.nest++
	defer func() { p.nest-- }()
	return p.section(sec, false, name, line, col)
}

// refs parses "a.b, c {" up to and including the brace.
func (p *parser) refs() ([]string, error) {
	var refs []string
	for {
		p.skipBlank()
		var parts []string
		for {
			p.skipBlank()
			if !isNameByte(p.peek()) {
				return nil, p.unexpected()
			}
			parts = append(parts, p.name())
			p.skipBlank()
			if p.peek() != '.' {
				break
			}
			p.next()
		}
		refs = append(refs, strings.Join(parts, "."))
		p.skipBlank()
		switch p.peek() {
		case ',':
			p.next()
		case '{':
			p.next()
			return refs, nil
		default:
			return nil, p.unexpected()
		}
	}
}

// value parses the rest of a setting after '='. It returns nil for a null
// assignment. A closing brace ends the value and is left for the section.
func (p *parser) value() (*string, error) {
	var parts []string
	for {
		switch c := p.peek(); c {
		case eof, '}':
			return join(parts), nil
		case '\n':
			p.next()
			return join(parts), nil
		case '#':
			p.skipComment()
		case ' ', '\t', '\r':
			p.next()
		case '"':
			s, err := p.quoted()
			if err != nil {
				return nil, err
			}
			parts = append(parts, s)
		default:
			start := p.pos
			for c := p.peek(); c != eof && !strings.ContainsRune("#}\"\r\n\t ", rune(c)); {
				p.next()
				c = p.peek()
			}
			parts = append(parts, string(p.data[start:p.pos]))
		}
	}
}

func join(parts []string) *string {
	if parts == nil {
		return nil
	}
	s := strings.Join(parts, " ")
	return &s
}

// quoted parses a double-quoted string starting at the quote.
func (p *parser) quoted() (string, error) {
	line, col := p.line, p.col
	p.next()
	var b strings.Builder
	for {
		c := p.next()
		switch c {
		case eof:
			return "", p.errAt(line, col, "unterminated string detected")
		case '"':
			return b.String(), nil
		case '\r':
			// dropped, so CR LF files keep only LF inside strings
		case '\\':
			e := p.next()
			switch e {
			case eof:
				return "", p.errAt(line, col, "unterminated string detected")
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case '\n':
				// line continuation
			case '\r':
				if p.peek() == '\n' {
					p.next()
				} else {
					b.WriteByte('\r')
				}
			default:
				b.WriteByte(byte(e))
			}
		default:
			b.WriteByte(byte(c))
		}
	}
}
