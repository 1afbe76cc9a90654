package config

import "fmt"

// isInclude reports whether the "include" just read starts an include
// line: it must be followed by blanks and then anything but '='.
func (p *parser) isInclude() bool {
	i := p.pos
	if i >= len(p.data) || (p.data[i] != ' ' && p.data[i] != '\t') {
		return false
	}
	for i < len(p.data) && (p.data[i] == ' ' || p.data[i] == '\t') {
		i++
	}
	return i < len(p.data) && p.data[i] != '='
}

// include reads the pattern of an include line and parses the matching
// files into sec.
func (p *parser) include(sec *node, line int) error {
	for c := p.peek(); c == ' ' || c == '\t'; c = p.peek() {
		p.next()
	}
	var pattern string
	if p.peek() == '"' {
		s, err := p.quoted()
		if err != nil {
			return err
		}
		pattern = s
	} else {
		pattern = p.pattern()
	}
	if pattern == "" {
		*p.warns = append(*p.warns,
			fmt.Sprintf("%s:%d: no include pattern specified, ignored", p.file, line))
		return nil
	}
	from := fmt.Sprintf("%s:%d", p.file, line)
	return parsePattern(sec, includePath(p.file, pattern), p.depth+1, p.nest, p.warns,
		from)
}

// pattern reads an unquoted include pattern up to a blank, '#' or '}'.
// A backslash escapes a quote, '#', '}' or space and is literal otherwise.
func (p *parser) pattern() string {
	var b []byte
	for {
		c := p.peek()
		switch c {
		case eof, ' ', '\t', '\r', '\n', '#', '}':
			return string(b)
		case '\\':
			p.next()
			switch e := p.peek(); e {
			case '"', '#', '}', ' ':
				p.next()
				b = append(b, byte(e))
			default:
				b = append(b, '\\')
			}
		default:
			p.next()
			b = append(b, byte(c))
		}
	}
}
