package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"

	gov "github.com/strongswan/govici/vici"

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

// client is the connection to the daemon. Plain commands go through govici;
// streamed listings and event monitors use the small frame client in wire.go
// on the same socket, because govici v0.8.0 can lose streamed events. A
// command uses one of the two, never both.
type client struct {
	conn net.Conn
	gs   *gov.Session
	w    *wire
}

func newClient(conn net.Conn) *client { return &client{conn: conn} }

// Close ends the connection.
func (c *client) Close() error {
	if c.gs != nil {
		return c.gs.Close()
	}
	return c.conn.Close()
}

func (c *client) session() (*gov.Session, error) {
	if c.gs != nil {
		return c.gs, nil
	}
	if c.w != nil {
		return nil, errors.New("cli: connection already used for streaming")
	}
	conn := c.conn
	s, err := gov.NewSession(gov.WithDialContext(
		func(context.Context, string, string) (net.Conn, error) { return conn, nil }))
	if err != nil {
		return nil, fmt.Errorf("cli: session: %w", err)
	}
	c.gs = s
	return s, nil
}

func (c *client) wire() (*wire, error) {
	if c.w != nil {
		return c.w, nil
	}
	if c.gs != nil {
		return nil, errors.New("cli: connection already used by govici")
	}
	c.w = newWire(c.conn)
	return c.w, nil
}

// call sends one command and returns the daemon's reply. A reply with
// success=no is a reply, not an error; errors are transport failures.
func (c *client) call(cmd string, req *vici.Message) (*vici.Message, error) {
	s, err := c.session()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	in, err := toGov(req)
	if err != nil {
		return nil, err
	}
	out, err := s.Call(ctx, cmd, in)
	if out != nil {
		return fromGov(out), nil
	}
	if err != nil && strings.Contains(err.Error(), "unexpected response type: 2") {
		return nil, errUnknownCommand
	}
	return nil, fmt.Errorf("cli: %s: %w", cmd, err)
}

// stream sends cmd registered for event and hands each event to each, in
// order; it returns the final reply.
func (c *client) stream(cmd, event string, req *vici.Message,
	each func(*vici.Message)) (*vici.Message, error) {
	w, err := c.wire()
	if err != nil {
		return nil, err
	}
	return w.stream(cmd, event, req, each)
}

// listen registers for events and hands them to each until done is closed
// or the connection fails.
func (c *client) listen(events []string, done <-chan struct{},
	each func(name string, m *vici.Message)) error {
	w, err := c.wire()
	if err != nil {
		return err
	}
	return w.listen(events, done, each)
}

// toGov converts our ordered message into govici's, keeping the order.
func toGov(m *vici.Message) (*gov.Message, error) {
	g := gov.NewMessage()
	for _, e := range m.Entries() {
		var err error
		switch e.Kind {
		case vici.KindValue:
			err = g.Set(e.Name, e.Value)
		case vici.KindList:
			items := e.Items
			if items == nil {
				items = []string{}
			}
			err = g.Set(e.Name, items)
		case vici.KindSection:
			var sub *gov.Message
			if sub, err = toGov(e.Section); err == nil {
				err = g.Set(e.Name, sub)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("cli: message key %q: %w", e.Name, err)
		}
	}
	return g, nil
}

// fromGov converts a govici message into ours, keeping the order.
func fromGov(g *gov.Message) *vici.Message {
	m := vici.NewMessage()
	for _, k := range g.Keys() {
		switch v := g.Get(k).(type) {
		case string:
			m.Append(vici.Entry{Kind: vici.KindValue, Name: k, Value: v})
		case []string:
			m.Append(vici.Entry{Kind: vici.KindList, Name: k, Items: v})
		case *gov.Message:
			m.Append(vici.Entry{Kind: vici.KindSection, Name: k, Section: fromGov(v)})
		}
	}
	return m
}
