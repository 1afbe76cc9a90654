package vici

import "context"

// Request is one command as a handler sees it.
type Request struct {
	Command string
	Message *Message // never nil; empty for a request without arguments

	// ClientID is the server's number for the connection, as used in logs.
	ClientID uint64

	emit func(event string, m *Message) bool
}

// Emit sends an event to the requesting client only, and only if that client
// is registered for the event (once per registration, as strongSwan does).
// Streamed commands call it for each item before returning their reply. It
// reports whether the client could take the event; false means the client is
// gone or its queue is full, and the handler may stop early.
func (r *Request) Emit(event string, m *Message) bool {
	if r.emit == nil {
		return false
	}
	return r.emit(event, m)
}

// NewRequest builds a request for calling a handler directly, as tests do.
// emit receives the events the handler streams; it may be nil.
func NewRequest(command string, m *Message, emit func(event string, m *Message) bool) *Request {
	if m == nil {
		m = NewMessage()
	}
	return &Request{Command: command, Message: m, emit: emit}
}

// HandlerFunc answers a command. The returned message is sent as the
// CMD_RESPONSE; nil is sent as an empty response. The context is cancelled
// when the server shuts down or the client disconnects.
type HandlerFunc func(ctx context.Context, req *Request) *Message

// Registrar is the part of the server that command families register with.
type Registrar interface {
	// Handle registers the handler for a command name.
	Handle(command string, h HandlerFunc)
}

// Success returns the reply `success = yes`.
func Success() *Message { return NewMessage().Set("success", "yes") }

// Failure returns the reply `success = no` with errmsg set to msg.
func Failure(msg string) *Message {
	return NewMessage().Set("success", "no").Set("errmsg", msg)
}

// Result returns Success for a nil error and Failure with the error's text
// otherwise.
func Result(err error) *Message {
	if err != nil {
		return Failure(err.Error())
	}
	return Success()
}
