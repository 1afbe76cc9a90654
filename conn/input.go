package conn

import "fmt"

// Kind tells what an Entry holds.
type Kind uint8

// Entry kinds.
const (
	KindValue Kind = iota + 1
	KindList
	KindSection
)

// Entry is one named element of a load-conn request, independent of any
// wire format: a key/value, a list or a section.
type Entry struct {
	Name    string
	Kind    Kind
	Value   string   // KindValue
	Items   []string // KindList
	Section []Entry  // KindSection
}

// Error is a load failure whose text is the errmsg sent to the client.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func errUnknown(key string) error {
	return &Error{fmt.Sprintf("unknown option: %s, config discarded", key)}
}

func errInvalid(key string) error {
	return &Error{fmt.Sprintf("invalid value for: %s, config discarded", key)}
}

func errSection(name string) error {
	return &Error{fmt.Sprintf("invalid section: %s", name)}
}
