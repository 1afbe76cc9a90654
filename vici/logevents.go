package vici

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
)

// LogHandler is a slog.Handler that passes every record on to another
// handler and also sends it as a VICI `log` event to the clients registered
// for one (swanctl --log). Events are built and sent by a worker goroutine,
// so logging never waits for a client; when the worker falls behind,
// records are dropped from the events, never from the log.
type LogHandler struct {
	next  slog.Handler
	attrs []slog.Attr // from WithAttrs, in order; groups are not reflected
	*logShared
}

// logShared is what every handler derived with WithAttrs shares.
type logShared struct {
	srv   atomic.Pointer[Server] // set by Start
	queue chan slog.Record
}

// NewLogHandler wraps next. Call Start once the server exists.
func NewLogHandler(next slog.Handler) *LogHandler {
	return &LogHandler{next: next, logShared: &logShared{queue: make(chan slog.Record, 1024)}}
}

// Start sends queued records to srv's subscribers until ctx ends.
func (h *LogHandler) Start(ctx context.Context, srv *Server) {
	h.srv.Store(srv)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case r := <-h.queue:
				if srv.HasSubscribers("log") {
					srv.Broadcast("log", logEvent(r))
				}
			}
		}
	}()
}

// Enabled implements slog.Handler: records the wrapped handler drops are
// not exported either (charon exports only what its loggers accept too).
func (h *LogHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

// Handle implements slog.Handler.
func (h *LogHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.next.Handle(ctx, r)
	// Only levels charon calls 0 and 1 are exported, as in charon, and
	// only while somebody listens: most records have no audience.
	if srv := h.srv.Load(); r.Level >= slog.LevelInfo && srv != nil &&
		srv.HasSubscribers("log") {
		rec := r.Clone()
		if len(h.attrs) > 0 {
			rec.AddAttrs(h.attrs...)
		}
		select {
		case h.queue <- rec:
		default:
		}
	}
	return err
}

// WithAttrs implements slog.Handler.
func (h *LogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.next = h.next.WithAttrs(attrs)
	c.attrs = append(append([]slog.Attr{}, h.attrs...), attrs...)
	return &c
}

// WithGroup implements slog.Handler.
func (h *LogHandler) WithGroup(name string) slog.Handler {
	c := *h
	c.next = h.next.WithGroup(name)
	return &c
}

// groups maps charond's subsys attribute to charon's log group names.
var groups = map[string]string{
	"cfg": "CFG", "vici": "CFG", "pool": "CFG", "conn": "CFG", "creds": "CFG",
	"ike": "IKE", "chd": "CHD", "knl": "KNL", "kernel": "KNL", "net": "NET",
	"mgr": "MGR", "job": "JOB", "lib": "LIB", "enc": "ENC",
}

// maxLogMsg keeps an event far below the frame limit.
const maxLogMsg = 8192

// logEvent renders a record as charon's log event: group, level, thread,
// msg. The message is the record's text followed by its attributes.
func logEvent(r slog.Record) *Message {
	group := "DMN"
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "subsys" {
			if g, ok := groups[a.Value.String()]; ok {
				group = g
			}
			return true
		}
		b.WriteByte(' ')
		b.WriteString(a.Key)
		b.WriteByte('=')
		b.WriteString(a.Value.String())
		return true
	})
	msg := b.String()
	if len(msg) > maxLogMsg {
		msg = msg[:maxLogMsg]
	}
	level := 1
	if r.Level >= slog.LevelWarn {
		level = 0
	}
	return NewMessage().Set("group", group).Set("level", strconv.Itoa(level)).
		Set("thread", "0").Set("msg", msg)
}
