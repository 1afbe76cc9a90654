package cli

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/charond/charond/vici"
)

// defaultURI is the compiled-in socket of Debian's charon.
const defaultURI = "unix:///var/run/charon.vici"

// callTimeout bounds a single request/response exchange.
const callTimeout = 5 * time.Minute

// errBadURI is a URI of no known scheme; swanctl reports it with errno 0.
var errBadURI = errors.New("cli: unsupported URI")

// errUnknownCommand is the daemon's CMD_UNKNOWN reply; swanctl reports it
// as ENOENT.
var errUnknownCommand = fmt.Errorf("cli: unknown command: %w", syscall.ENOENT)

// dialURI connects to a unix:// or tcp:// URI.
func dialURI(uri string) (net.Conn, error) {
	var network, addr string
	switch {
	case strings.HasPrefix(uri, "unix://"):
		network, addr = "unix", strings.TrimPrefix(uri, "unix://")
	case strings.HasPrefix(uri, "tcp://"):
		network, addr = "tcp", strings.TrimPrefix(uri, "tcp://")
	default:
		return nil, errBadURI
	}
	c, err := net.DialTimeout(network, addr, 30*time.Second)
	if err != nil {
		return nil, fmt.Errorf("cli: connecting to %q: %w", uri, err)
	}
	return c, nil
}

// client is the connection to the daemon. Commands, streamed listings and
// event monitors all use the small frame client in wire.go: govici v0.8.0
// can lose streamed events, and its reader and writer goroutines cost more
// than a request to charond does.
type client struct {
	conn net.Conn
	w    *wire
}

func newClient(conn net.Conn) *client { return &client{conn: conn} }

// Close ends the connection.
func (c *client) Close() error { return c.conn.Close() }

func (c *client) wire() *wire {
	if c.w == nil {
		c.w = newWire(c.conn)
	}
	return c.w
}

// call sends one command and returns the daemon's reply. A reply with
// success=no is a reply, not an error; errors are transport failures.
func (c *client) call(cmd string, req *vici.Message) (*vici.Message, error) {
	return c.wire().call(cmd, req)
}

// pipeline sends cmd with each of n requests, not waiting for each reply
// before the next, and hands the replies or failures to done in order.
func (c *client) pipeline(cmd string, n int, req func(int) *vici.Message,
	done func(int, *vici.Message, error)) {
	c.wire().pipeline(cmd, n, req, done)
}

// stream sends cmd registered for event and hands each event to each, in
// order; it returns the final reply.
func (c *client) stream(cmd, event string, req *vici.Message,
	each func(*vici.Message)) (*vici.Message, error) {
	return c.wire().stream(cmd, event, req, each)
}

// listen registers for events and hands them to each until done is closed
// or the connection fails.
func (c *client) listen(events []string, done <-chan struct{},
	each func(name string, m *vici.Message)) error {
	return c.wire().listen(events, done, each)
}
