package vici

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
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

// Server answers VICI commands on any number of listeners. Each client's
// requests are handled one at a time, in order, and each client has its own
// bounded write queue, so a client that does not read holds up only itself.
type Server struct {
	log    *slog.Logger
	limits atomic.Pointer[Limits] // replaced whole by SetLimits

	handlers map[string]HandlerFunc   // written before Serve only
	events   map[string]*atomic.Int64 // known events and their registrations; keys fixed

	ctx    context.Context
	cancel context.CancelFunc
	nextID atomic.Uint64
	queued atomic.Int64 // bytes in all clients' queues

	lastRefusal atomic.Int64  // when a refusal was last logged (unix ns)
	refused     atomic.Uint64 // refusals since then
	wg          sync.WaitGroup

	mu        sync.Mutex // guards the fields below
	listeners map[net.Listener]bool
	clients   map[*client]bool
	byUser    map[int]int // peer UID -> clients
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
		handlers:  map[string]HandlerFunc{},
		events:    map[string]*atomic.Int64{},
		ctx:       ctx,
		cancel:    cancel,
		listeners: map[net.Listener]bool{},
		clients:   map[*client]bool{},
		byUser:    map[int]int{},
	}
	for _, e := range knownEvents {
		s.events[e] = new(atomic.Int64)
	}
	s.SetLimits(limits)
	return s
}

// SetLimits replaces the limits. Connected clients keep the queue size they
// started with; every other limit applies from their next request.
func (s *Server) SetLimits(l Limits) {
	l = l.withDefaults()
	s.limits.Store(&l)
}

// Limits returns the limits in force.
func (s *Server) Limits() Limits { return *s.limits.Load() }

// Clients returns the number of connected clients.
func (s *Server) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.clients)
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

// startClient admits a connection if there is a place for it: fewer than
// MaxClients in all, and fewer than a user's share from its user (an idle
// client keeps its place as long as it likes, as monitors must).
func (s *Server) startClient(conn net.Conn) {
	id := s.nextID.Add(1)
	limit := s.Limits().MaxClients
	uid := peerUID(conn)
	s.mu.Lock()
	full := len(s.clients) >= limit
	if !full && uid >= 0 && s.byUser[uid] >= userShare(limit) {
		full, limit = true, userShare(limit)
	}
	if s.closed || full {
		n, closed := len(s.clients), s.closed
		if uid >= 0 {
			n = s.byUser[uid]
		}
		s.mu.Unlock()
		// One line a second at most: a flood of refusals must not flood the log.
		if now := time.Now().UnixNano(); !closed &&
			now-s.lastRefusal.Load() >= int64(time.Second) {
			s.lastRefusal.Store(now)
			s.log.Warn("vici clients refused: too many clients", "client", id, "uid", uid,
				"clients", n, "limit", limit, "refused", s.refused.Swap(0)+1)
		} else {
			s.refused.Add(1)
		}
		conn.Close()
		return
	}
	c := newClient(s, conn, id)
	c.uid = uid
	if uid >= 0 {
		s.byUser[uid]++
	}
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
	if c.uid >= 0 {
		if s.byUser[c.uid]--; s.byUser[c.uid] <= 0 {
			delete(s.byUser, c.uid)
		}
	}
	s.mu.Unlock()
	c.mu.Lock()
	for name, n := range c.regs {
		s.events[name].Add(-int64(n))
	}
	clear(c.regs)
	c.mu.Unlock()
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
		s.log.Warn("vici event not sent: it does not fit in a VICI message",
			"event", event, "err", err)
		return
	}
	for _, c := range targets {
		for range c.registrations(event) {
			c.pushEvent(event, frame)
		}
	}
}

// HasSubscribers reports whether any client is registered for event, so
// producers can skip building events nobody receives. It takes no lock.
func (s *Server) HasSubscribers(event string) bool {
	n, ok := s.events[event]
	return ok && n.Load() > 0
}

// encode builds an outgoing frame, refusing one over the reply limit. The
// callers log: what happens to a refused frame depends on what it is.
func (s *Server) encode(p *Packet) ([]byte, error) {
	frame, err := p.AppendFrame(nil)
	if err != nil {
		return nil, err
	}
	if limit := s.Limits().MaxReply; len(frame)-4 > limit {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrFrameTooLarge, len(frame)-4, limit)
	}
	return frame, nil
}

// shed drops the client with the most bytes queued when all queues
// together would pass TotalQueueBytes with n more: a client that does not
// read is the one that holds the memory.
func (s *Server) shed(n int) {
	budget := int64(s.Limits().TotalQueueBytes)
	if s.queued.Load()+int64(n) <= budget {
		return
	}
	s.mu.Lock()
	var victim *client
	most := 0
	for c := range s.clients {
		if q := c.queue.size(); q > most {
			victim, most = c, q
		}
	}
	s.mu.Unlock()
	if victim == nil {
		return
	}
	s.log.Warn("vici queues exceed their total limit, dropping the client with the most queued",
		"client", victim.id, "queued", most, "total", s.queued.Load(), "limit", budget)
	victim.drop()
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
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	drain := min(s.Limits().WriteTimeout, closeDrain)
	select {
	case <-done:
	case <-time.After(drain):
		// Whoever has not taken their replies by now is not reading.
		n := 0
		for _, c := range clients {
			if c.queue.size() > 0 {
				n++
			}
			c.queue.abort()
			c.conn.Close()
		}
		s.log.Warn("vici clients not reading at shutdown, dropped", "clients", n,
			"waited", drain)
		<-done
	}
	return nil
}

// closeDrain bounds how long Close waits for clients to take their replies.
const closeDrain = 5 * time.Second

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

// RuntimeFigures adds the server's own figures to a stats reply, under keys
// strongSwan does not use, so load tests can watch for leaks: clients, the
// live heap after the last collection and open descriptors.
func (s *Server) RuntimeFigures(m *Message) {
	m.Set("vici-commands", strconv.Itoa(s.Commands()))
	m.Set("vici-clients", strconv.Itoa(s.Clients()))
	m.Set("vici-max-clients", strconv.Itoa(s.Limits().MaxClients))
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	if live[0].Value.Kind() == metrics.KindUint64 {
		m.Set("heap-live", strconv.FormatUint(live[0].Value.Uint64(), 10))
	}
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		m.Set("open-files", strconv.Itoa(len(fds)))
	}
}
