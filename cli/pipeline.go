package cli

import (
	"errors"
	"time"

	"github.com/charond/charond/vici"
)

// Pipelining bounds: requests sent ahead of their replies, and bytes per
// write.
const (
	pipeWindow = 64
	pipeBatch  = 64 << 10
)

// errStopped fails the requests the writer had not sent when the reader
// gave up.
var errStopped = errors.New("cli: pipeline stopped")

// sendStatus is what became of one request, from the writer to the reader.
type sendStatus struct {
	sent bool
	err  error // why it was not sent: encoding or writing failed
}

// pipeline sends cmd n times, with req(i) as the i-th request, and hands
// each reply or failure to done in order, as n calls would. It does not
// wait for a reply before sending the next requests: daemons, charon
// included, answer one connection's requests strictly in order, and a
// reload of thousands of connections then costs no round trip each.
//
// A writer goroutine sends while the caller's goroutine reads, so a daemon
// that writes a reply before it reads the next request never waits on a
// client that is itself stuck writing. A request that cannot be encoded
// fails alone; a reply that is not one (CMD_UNKNOWN, a packet that does
// not decode) fails its request alone. After a transport failure the
// requests still unsent go one call at a time, failing as calls would,
// and none is sent twice.
func (w *wire) pipeline(cmd string, n int, req func(int) *vici.Message,
	done func(int, *vici.Message, error)) {
	if n == 0 {
		return
	}
	slots := make(chan struct{}, pipeWindow)    // a token per request in flight
	status := make(chan sendStatus, pipeWindow) // holders of a token only: never full
	stop := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		defer close(status)
		w.sendAll(cmd, n, req, slots, status, stop)
	}()
	finish := func() {
		close(stop)
		// a write stuck on a daemon that no longer reads gives up now
		_ = w.conn.SetWriteDeadline(time.Now())
		<-exited
	}

	var broken error // a reply could not be read: the connection is gone
	i := 0
	for ; i < n; i++ {
		st, ok := <-status
		if !ok || (!st.sent && !inEncoding(st.err)) {
			break // the writer stopped: i and later were not sent
		}
		switch {
		case !st.sent:
			done(i, nil, st.err)
		case broken != nil:
			done(i, nil, broken)
		default:
			reply, err := w.readReply()
			done(i, reply, err)
			if err != nil && !inStep(err) {
				broken = err
				finish()
			}
		}
		<-slots
	}
	if broken == nil {
		finish()
	}
	for ; i < n; i++ {
		reply, err := w.call(cmd, req(i))
		done(i, reply, err)
	}
}

// readReply waits up to callTimeout for the next reply.
func (w *wire) readReply() (*vici.Message, error) {
	if err := w.conn.SetReadDeadline(time.Now().Add(callTimeout)); err != nil {
		return nil, err
	}
	return w.reply()
}

// encodingError is a request that could not be encoded.
type encodingError struct{ error }

func (e encodingError) Unwrap() error { return e.error }

func inEncoding(err error) bool {
	_, ok := err.(encodingError)
	return ok
}

// sendAll is pipeline's writer. It takes a token per request, waiting for
// one only when its batch is empty, and writes each batch at once. It
// reports every request it took on, in order, after the write; when a
// write fails it reports that batch unsent and stops.
func (w *wire) sendAll(cmd string, n int, req func(int) *vici.Message,
	slots chan struct{}, status chan<- sendStatus, stop <-chan struct{}) {
	var batch []sendStatus
	for next := 0; next < n; {
		select {
		case slots <- struct{}{}:
		case <-stop:
			return
		}
		b := w.out[:0]
		batch = batch[:0]
		for {
			var err error
			if b, err = appendFrame(b, pktCmdRequest, cmd, req(next)); err != nil {
				batch = append(batch, sendStatus{err: encodingError{err}})
			} else {
				batch = append(batch, sendStatus{sent: true})
			}
			next++
			if next == n || len(b) >= pipeBatch || !take(slots) {
				break
			}
		}
		w.out = b
		var err error
		if len(b) > 0 {
			err = w.conn.SetWriteDeadline(time.Now().Add(callTimeout))
			// Checked after the deadline is set: finish closes stop before
			// it cuts the deadline short, so either this sees stop or the
			// write sees the short deadline.
			select {
			case <-stop:
				err = errStopped
			default:
			}
			if err == nil {
				_, err = w.conn.Write(b)
			}
		}
		for j := range batch {
			if err != nil && batch[j].sent {
				batch[j] = sendStatus{err: err}
			}
			status <- batch[j]
		}
		if err != nil {
			return
		}
	}
}

// take takes a token if one is free now.
func take(slots chan struct{}) bool {
	select {
	case slots <- struct{}{}:
		return true
	default:
		return false
	}
}
