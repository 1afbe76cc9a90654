package vici

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Events strongSwan 5.9.8 knows; registering any other name is refused.
var knownEvents = []string{
	"log", "control-log", "list-sa", "list-policy", "list-conn", "list-cert",
	"list-authority", "ike-updown", "ike-rekey", "ike-update", "child-updown",
	"child-rekey",
}

// Limits bound what one client can make the server hold. Zero fields take
// the defaults of DefaultLimits.
type Limits struct {
	MaxFrame     int           // largest request frame accepted (strongSwan: 512 KiB)
	MaxReply     int           // largest reply or event frame sent
	MaxDepth     int           // nesting depth of sections in a request
	MaxElements  int           // elements in one request message
	MaxClients   int           // concurrent connections
	QueueBytes   int           // bytes queued for a client before it must read
	WriteTimeout time.Duration // a client that takes no data for this long is dropped
}

// DefaultLimits are the limits of a server whose Limits are zero.
var DefaultLimits = Limits{
	MaxFrame:     MaxFrameSize,
	MaxReply:     MaxFrameSize,
	MaxDepth:     64,
	MaxElements:  200000,
	MaxClients:   1024,
	QueueBytes:   4 << 20,
	WriteTimeout: 30 * time.Second,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxFrame > 0 {
		d.MaxFrame = l.MaxFrame
	}
	if l.MaxReply > 0 {
		d.MaxReply = l.MaxReply
	}
	if l.MaxDepth > 0 {
		d.MaxDepth = l.MaxDepth
	}
	if l.MaxElements > 0 {
		d.MaxElements = l.MaxElements
	}
	if l.MaxClients > 0 {
		d.MaxClients = l.MaxClients
	}
	if l.QueueBytes > 0 {
		d.QueueBytes = l.QueueBytes
	}
	if l.WriteTimeout > 0 {
		d.WriteTimeout = l.WriteTimeout
	}
	return d
}

// Server answers VICI commands on any number of listeners. Each client's
// requests are handled one at a time, in order, and each client has its own
// bounded write queue, so a client that does not read holds up only itself.
type Server struct {
	log    *slog.Logger
	limits Limits

	handlers map[string]HandlerFunc // written before Serve only
	events   map[string]bool

	ctx    context.Context
	cancel context.CancelFunc
	nextID atomic.Uint64
	wg     sync.WaitGroup

	mu        sync.Mutex // guards the fields below
	listeners map[net.Listener]bool
	clients   map[*client]bool
	closed    bool
}

// NewServer returns a server with no commands registered.
func NewServer(log *slog.Logger, limits Limits) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		log:       log.With("subsys", "vici"),
		limits:    limits.withDefaults(),
		handlers:  map[string]HandlerFunc{},
		events:    map[string]bool{},
		ctx:       ctx,
		cancel:    cancel,
		listeners: map[net.Listener]bool{},
		clients:   map[*client]bool{},
	}
	for _, e := range knownEvents {
		s.events[e] = true
	}
	return s
}

// Handle registers h for command. It must be called before Serve.
func (s *Server) Handle(command string, h HandlerFunc) { s.handlers[command] = h }

// Commands returns the number of registered commands.
func (s *Server) Commands() int { return len(s.handlers) }

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("vici: server closed")

// Serve accepts clients on l until Close. It always returns a non-nil error.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.listeners[l] = true
	s.mu.Unlock()
	var delay time.Duration
	for {
		conn, err := l.Accept()
		if err != nil {
			if s.isClosed() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, errTooManyFiles) {
				// Out of descriptors: back off instead of spinning.
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				s.log.Warn("accepting vici client failed, retrying", "err", err, "delay", delay)
				time.Sleep(delay)
				continue
			}
			return err
		}
		delay = 0
		s.startClient(conn)
	}
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

func (s *Server) startClient(conn net.Conn) {
	id := s.nextID.Add(1)
	s.mu.Lock()
	if s.closed || len(s.clients) >= s.limits.MaxClients {
		n := len(s.clients)
		s.mu.Unlock()
		s.log.Warn("vici client refused: too many clients", "client", id,
			"clients", n, "limit", s.limits.MaxClients)
		conn.Close()
		return
	}
	c := newClient(s, conn, id)
	s.clients[c] = true
	s.wg.Add(2)
	s.mu.Unlock()
	s.log.Debug("vici client connected", "client", id)
	go c.writeLoop()
	go c.readLoop()
}

func (s *Server) removeClient(c *client) {
	s.mu.Lock()
	delete(s.clients, c)
	s.mu.Unlock()
}

// Broadcast sends an event to every client registered for it, once per
// registration. A client whose queue is full misses the event.
func (s *Server) Broadcast(event string, m *Message) {
	s.mu.Lock()
	var targets []*client
	for c := range s.clients {
		if c.registrations(event) > 0 {
			targets = append(targets, c)
		}
	}
	s.mu.Unlock()
	if len(targets) == 0 {
		return
	}
	frame, err := s.encode(&Packet{Type: Event, Name: event, Message: m})
	if err != nil {
		return
	}
	for _, c := range targets {
		for range c.registrations(event) {
			c.queue.tryPush(frame)
		}
	}
}

// HasSubscribers reports whether any client is registered for event, so
// producers can skip building events nobody receives.
func (s *Server) HasSubscribers(event string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.clients {
		if c.registrations(event) > 0 {
			return true
		}
	}
	return false
}

// encode builds an outgoing frame, refusing one over the reply limit.
func (s *Server) encode(p *Packet) ([]byte, error) {
	frame, err := p.AppendFrame(nil)
	if err != nil {
		s.log.Error("vici builder error", "packet", p.Type.String(), "name", p.Name, "err", err)
		return nil, err
	}
	if len(frame)-4 > s.limits.MaxReply {
		s.log.Warn("vici message size exceeds maximum size, discarded",
			"packet", p.Type.String(), "name", p.Name, "size", len(frame)-4,
			"limit", s.limits.MaxReply)
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrFrameTooLarge, len(frame)-4,
			s.limits.MaxReply)
	}
	return frame, nil
}

// Close stops accepting, lets every client's queued replies drain (bounded by
// the write timeout) and closes all connections. Unix socket files created by
// Listen are removed when their listener closes.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	for l := range s.listeners {
		l.Close()
	}
	clients := make([]*client, 0, len(s.clients))
	for c := range s.clients {
		clients = append(clients, c)
	}
	s.mu.Unlock()
	s.cancel()
	for _, c := range clients {
		c.shutdown()
	}
	s.wg.Wait()
	return nil
}

// runHandler calls h, turning a panic into a failure reply so that one bad
// command never takes the daemon down.
func (s *Server) runHandler(ctx context.Context, h HandlerFunc, req *Request) (reply *Message) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("vici command handler panicked", "client", req.ClientID,
				"command", req.Command, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			reply = Failure("internal error while handling " + req.Command)
		}
	}()
	return h(ctx, req)
}
