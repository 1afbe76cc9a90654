package config

import "strings"

// splitList splits a list value the way swanctl does: at commas, with
// spaces around tokens trimmed and empty tokens dropped. A token that
// starts with ' or " and has a matching closing quote is the text between
// the quotes, commas included, and may be empty; the closing quote also
// ends the token. Quotes inside a token are ordinary characters.
func splitList(v string) []string {
	items := []string{}
	i := 0
	for i < len(v) {
		for i < len(v) && (v[i] == ' ' || v[i] == ',') {
			i++
		}
		if i == len(v) {
			break
		}
		if q := v[i]; q == '\'' || q == '"' {
			if end := strings.IndexByte(v[i+1:], q); end >= 0 {
				items = append(items, v[i+1:i+1+end])
				i += end + 2
				continue
			}
		}
		end := strings.IndexByte(v[i:], ',')
		if end < 0 {
			end = len(v) - i
		}
		if tok := strings.TrimRight(v[i:i+end], " "); tok != "" {
			items = append(items, tok)
		}
		i += end
	}
	return items
}

// inlineBlob decodes a value written as 0x<hex> or 0s<base64> (prefixes in
// any case).
func inlineBlob(v string) (string, bool) {
	if len(v) < 2 || v[0] != '0' {
		return "", false
	}
	switch v[1] {
	case 'x', 'X':
		return DecodeHex(v[2:]), true
	case 's', 'S':
		return decodeBase64(v[2:]), true
	}
	return "", false
}

// DecodeHex is strongSwan's lenient hex decoder: colons are skipped, an
// odd digit count gets a leading zero and an invalid digit counts as 0.
func DecodeHex(s string) string {
	s = strings.ReplaceAll(s, ":", "")
	if len(s)%2 == 1 {
		s = "0" + s
	}
	out := make([]byte, len(s)/2)
	for i := range out {
		out[i] = hexDigit(s[2*i])<<4 | hexDigit(s[2*i+1])
	}
	return string(out)
}

func hexDigit(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}

// decodeBase64 is strongSwan's lenient base64 decoder: only whole groups
// of four characters count, each '=' shortens the result by one byte and
// stands for zero bits, and an invalid character stands for 0xff.
func decodeBase64(s string) string {
	groups := len(s) / 4
	outLen := groups * 3
	out := make([]byte, 0, outLen)
	for g := 0; g < groups; g++ {
		var b [4]byte
		for j := range b {
			c := s[4*g+j]
			if c == '=' && outLen > 0 {
				outLen--
				continue
			}
			b[j] = base64Value(c)
		}
		out = append(out, b[0]<<2|b[1]>>4, b[1]<<4|b[2]>>2, b[2]<<6|b[3])
	}
	return string(out[:outLen])
}

func base64Value(c byte) byte {
	switch {
	case c >= 'A' && c <= 'Z':
		return c - 'A'
	case c >= 'a' && c <= 'z':
		return c - 'a' + 26
	case c >= '0' && c <= '9':
		return c - '0' + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	}
	return 0xff
}
