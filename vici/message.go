package vici

import (
	"errors"
	"fmt"
)

// Kind tells what a message entry holds.
type Kind uint8

// Entry kinds.
const (
	KindValue   Kind = iota + 1 // a key/value pair
	KindList                    // a named list of values
	KindSection                 // a named, nested message
)

// Entry is one named element of a message: a key/value, a list or a section.
type Entry struct {
	Kind    Kind
	Name    string
	Value   string   // KindValue
	Items   []string // KindList
	Section *Message // KindSection
}

// Message is an ordered tree of key/values, lists and sections: the payload
// of every VICI request, response and event. Names are kept in the order they
// were added; setting an existing name replaces it in place.
//
// Values are byte strings held in Go strings; nothing here interprets them.
type Message struct {
	entries []Entry
}

// NewMessage returns an empty message.
func NewMessage() *Message { return &Message{} }

// Grow makes room for n more entries, for builders of large replies.
func (m *Message) Grow(n int) {
	if free := cap(m.entries) - len(m.entries); n > free {
		m.entries = append(make([]Entry, 0, len(m.entries)+n), m.entries...)
	}
}

// SetBuffer makes an empty m keep its entries in buf's storage, so that
// builders of many small sections allocate them all at once.
func (m *Message) SetBuffer(buf []Entry) { m.entries = buf[:0] }

// Len returns the number of entries at the top level of m.
func (m *Message) Len() int {
	if m == nil {
		return 0
	}
	return len(m.entries)
}

// Entries returns the top-level entries in order. The slice is m's own and
// must not be modified.
func (m *Message) Entries() []Entry {
	if m == nil {
		return nil
	}
	return m.entries
}

// Keys returns the top-level names in order.
func (m *Message) Keys() []string {
	keys := make([]string, 0, m.Len())
	for _, e := range m.Entries() {
		keys = append(keys, e.Name)
	}
	return keys
}

func (m *Message) index(name string) int {
	for i := range m.entries {
		if m.entries[i].Name == name {
			return i
		}
	}
	return -1
}

func (m *Message) put(e Entry) {
	if i := m.index(e.Name); i >= 0 {
		m.entries[i] = e
		return
	}
	m.entries = append(m.entries, e)
}

// Set stores a key/value, replacing any entry of that name in place.
func (m *Message) Set(key, value string) *Message {
	m.put(Entry{Kind: KindValue, Name: key, Value: value})
	return m
}

// SetList stores a list, replacing any entry of that name in place. A nil
// items slice is an empty list.
func (m *Message) SetList(key string, items []string) *Message {
	m.put(Entry{Kind: KindList, Name: key, Items: items})
	return m
}

// SetSection stores sec under name, replacing any entry of that name.
func (m *Message) SetSection(name string, sec *Message) *Message {
	if sec == nil {
		sec = NewMessage()
	}
	m.put(Entry{Kind: KindSection, Name: name, Section: sec})
	return m
}

// AddSection appends a new empty section and returns it for filling. Use it
// only for names not yet in m; it does not check for duplicates, which lets
// builders of large replies skip the linear lookup.
func (m *Message) AddSection(name string) *Message {
	sec := NewMessage()
	m.entries = append(m.entries, Entry{Kind: KindSection, Name: name, Section: sec})
	return sec
}

// Append adds an entry at the end without checking for an existing name.
// Decoders and builders of unique names use it.
func (m *Message) Append(e Entry) { m.entries = append(m.entries, e) }

// Lookup returns the first top-level entry named name.
func (m *Message) Lookup(name string) (Entry, bool) {
	if m == nil {
		return Entry{}, false
	}
	if i := m.index(name); i >= 0 {
		return m.entries[i], true
	}
	return Entry{}, false
}

// Get returns the value of the key/value named key.
func (m *Message) Get(key string) (string, bool) {
	e, ok := m.Lookup(key)
	if !ok || e.Kind != KindValue {
		return "", false
	}
	return e.Value, true
}

// List returns the items of the list named key.
func (m *Message) List(key string) ([]string, bool) {
	e, ok := m.Lookup(key)
	if !ok || e.Kind != KindList {
		return nil, false
	}
	return e.Items, true
}

// Section returns the section named name, or nil.
func (m *Message) Section(name string) *Message {
	e, ok := m.Lookup(name)
	if !ok || e.Kind != KindSection {
		return nil
	}
	return e.Section
}

// Element type bytes of the message encoding.
const (
	elemSectionStart = 1
	elemSectionEnd   = 2
	elemKeyValue     = 3
	elemListStart    = 4
	elemListItem     = 5
	elemListEnd      = 6
	elemEnd          = 7
)

// Encoding limits of the wire format.
const (
	MaxNameLen  = 255
	MaxValueLen = 65535
)

// ErrEncoding is wrapped by every error that Encode and Decode return.
var ErrEncoding = errors.New("vici: invalid message encoding")

// AppendEncoded appends the wire encoding of m to b. It fails on a name or
// value that does not fit its length field.
func (m *Message) AppendEncoded(b []byte) ([]byte, error) {
	for _, e := range m.Entries() {
		if len(e.Name) > MaxNameLen {
			return b, errNameLen(e.Name)
		}
		switch e.Kind {
		case KindValue:
			b = append(b, elemKeyValue, byte(len(e.Name)))
			b = append(b, e.Name...)
			var err error
			if b, err = appendValue(b, e.Value); err != nil {
				return b, err
			}
		case KindList:
			b = append(b, elemListStart, byte(len(e.Name)))
			b = append(b, e.Name...)
			for _, it := range e.Items {
				b = append(b, elemListItem)
				var err error
				if b, err = appendValue(b, it); err != nil {
					return b, err
				}
			}
			b = append(b, elemListEnd)
		case KindSection:
			b = append(b, elemSectionStart, byte(len(e.Name)))
			b = append(b, e.Name...)
			var err error
			if b, err = e.Section.AppendEncoded(b); err != nil {
				return b, err
			}
			b = append(b, elemSectionEnd)
		default:
			return b, fmt.Errorf("%w: entry %q has no kind", ErrEncoding, e.Name)
		}
	}
	return b, nil
}

func appendValue(b []byte, v string) ([]byte, error) {
	if len(v) > MaxValueLen {
		return b, fmt.Errorf("%w: value of %d bytes exceeds %d", ErrEncoding, len(v), MaxValueLen)
	}
	b = append(b, byte(len(v)>>8), byte(len(v)))
	return append(b, v...), nil
}

func errNameLen(name string) error {
	return fmt.Errorf("%w: name of %d bytes exceeds %d", ErrEncoding, len(name), MaxNameLen)
}

// EncodedSize returns the length of m's encoding without building it, or
// the error Encode would return.
func (m *Message) EncodedSize() (int, error) {
	n := 0
	for _, e := range m.Entries() {
		if len(e.Name) > MaxNameLen {
			return 0, errNameLen(e.Name)
		}
		n += 2 + len(e.Name)
		switch e.Kind {
		case KindValue:
			if len(e.Value) > MaxValueLen {
				return 0, fmt.Errorf("%w: value of %d bytes exceeds %d", ErrEncoding,
					len(e.Value), MaxValueLen)
			}
			n += 2 + len(e.Value)
		case KindList:
			for _, it := range e.Items {
				if len(it) > MaxValueLen {
					return 0, fmt.Errorf("%w: value of %d bytes exceeds %d", ErrEncoding,
						len(it), MaxValueLen)
				}
				n += 3 + len(it)
			}
			n++ // list end
		case KindSection:
			sub, err := e.Section.EncodedSize()
			if err != nil {
				return 0, err
			}
			n += sub + 1 // section end
		default:
			return 0, fmt.Errorf("%w: entry %q has no kind", ErrEncoding, e.Name)
		}
	}
	return n, nil
}

// Encode returns the wire encoding of m.
func (m *Message) Encode() ([]byte, error) { return m.AppendEncoded(nil) }

// DecodeLimits bound what Decode accepts; zero fields mean no limit.
type DecodeLimits struct {
	MaxDepth    int // nesting depth of sections
	MaxElements int // elements of all kinds in the message
}

// Decode parses a message encoding strictly: sections must balance, lists
// hold only items, names are printable. Element byte 7 at the root ends the
// message and the rest is ignored, as strongSwan 6.0 does.
func Decode(b []byte) (*Message, error) { return DecodeWithLimits(b, DecodeLimits{}) }

// DecodeWithLimits is Decode with bounds on depth and element count.
func DecodeWithLimits(b []byte, lim DecodeLimits) (*Message, error) {
	d := decoder{buf: b, lim: lim}
	root := NewMessage()
	if err := d.section(root, 0); err != nil {
		return nil, err
	}
	return root, nil
}

type decoder struct {
	buf   []byte
	pos   int
	count int
	lim   DecodeLimits
}

// ErrLimit is wrapped by decoding errors caused by a DecodeLimits bound
// rather than by a malformed encoding.
var ErrLimit = errors.New("vici: message exceeds limit")

// failLimit is fail for a crossed DecodeLimits bound.
func (d *decoder) failLimit(format string, args ...any) error {
	return fmt.Errorf("%w: %w", ErrLimit, d.fail(format, args...))
}

func (d *decoder) fail(format string, args ...any) error {
	return fmt.Errorf("%w at offset %d: %s", ErrEncoding, d.pos, fmt.Sprintf(format, args...))
}

func (d *decoder) name() (string, error) {
	if d.pos >= len(d.buf) {
		return "", d.fail("truncated name")
	}
	n := int(d.buf[d.pos])
	d.pos++
	if d.pos+n > len(d.buf) {
		return "", d.fail("truncated name")
	}
	s := d.buf[d.pos : d.pos+n]
	for _, c := range s {
		if c < 0x20 || c > 0x7e {
			return "", d.fail("name is not printable")
		}
	}
	d.pos += n
	return string(s), nil
}

func (d *decoder) value() (string, error) {
	if d.pos+2 > len(d.buf) {
		return "", d.fail("truncated value")
	}
	n := int(d.buf[d.pos])<<8 | int(d.buf[d.pos+1])
	d.pos += 2
	if d.pos+n > len(d.buf) {
		return "", d.fail("truncated value")
	}
	s := string(d.buf[d.pos : d.pos+n])
	d.pos += n
	return s, nil
}

// section decodes entries into m until a SECTION_END (depth > 0) or the end
// of the buffer (depth 0).
func (d *decoder) section(m *Message, depth int) error {
	for d.pos < len(d.buf) {
		t := d.buf[d.pos]
		d.pos++
		d.count++
		if d.lim.MaxElements > 0 && d.count > d.lim.MaxElements {
			return d.failLimit("more than %d elements", d.lim.MaxElements)
		}
		switch t {
		case elemSectionStart:
			if d.lim.MaxDepth > 0 && depth+1 > d.lim.MaxDepth {
				return d.failLimit("sections nested deeper than %d", d.lim.MaxDepth)
			}
			name, err := d.name()
			if err != nil {
				return err
			}
			sec := NewMessage()
			if err := d.section(sec, depth+1); err != nil {
				return err
			}
			m.Append(Entry{Kind: KindSection, Name: name, Section: sec})
		case elemSectionEnd:
			if depth == 0 {
				return d.fail("section end outside of section")
			}
			return nil
		case elemKeyValue:
			name, err := d.name()
			if err != nil {
				return err
			}
			v, err := d.value()
			if err != nil {
				return err
			}
			m.Append(Entry{Kind: KindValue, Name: name, Value: v})
		case elemListStart:
			name, err := d.name()
			if err != nil {
				return err
			}
			items, err := d.list()
			if err != nil {
				return err
			}
			m.Append(Entry{Kind: KindList, Name: name, Items: items})
		case elemListItem, elemListEnd:
			return d.fail("list element outside list")
		case elemEnd:
			if depth == 0 {
				d.pos = len(d.buf)
				return nil
			}
			return d.fail("end element within section")
		default:
			return d.fail("unknown element type %d", t)
		}
	}
	if depth > 0 {
		return d.fail("unterminated section")
	}
	return nil
}

func (d *decoder) list() ([]string, error) {
	items := []string{}
	for d.pos < len(d.buf) {
		t := d.buf[d.pos]
		d.pos++
		switch t {
		case elemListItem:
			d.count++
			if d.lim.MaxElements > 0 && d.count > d.lim.MaxElements {
				return nil, d.failLimit("more than %d elements", d.lim.MaxElements)
			}
			v, err := d.value()
			if err != nil {
				return nil, err
			}
			items = append(items, v)
		case elemListEnd:
			return items, nil
		default:
			return nil, d.fail("element type %d within list", t)
		}
	}
	return nil, d.fail("unterminated list")
}
