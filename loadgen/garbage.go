package loadgen

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"time"
)

// garbageKind is a frame a daemon must refuse by closing the connection,
// or, for random bytes that can happen to make sense, may answer.
type garbageKind struct {
	frame  func(w *worker) []byte
	closes bool
}

func fixed(b ...byte) func(*worker) []byte { return func(*worker) []byte { return b } }

var garbageKinds = []garbageKind{
	{fixed(0xff, 0xff, 0xff, 0xff), true},                  // 4 GiB announced
	{fixed(0, 0x08, 0, 1, 0), true},                        // just over 512 KiB
	{fixed(0, 0, 0, 1, 9), true},                           // unknown packet type
	{fixed(0, 0, 0, 1, 1), true},                           // the server's own type
	{fixed(0, 0, 0, 0), true},                              // empty frame
	{fixed(0, 0, 0, 7, 0, 4, 'e', 'c', 'h', 'o', 3), true}, // value cut short
	{func(*worker) []byte { return deepFrame(200) }, true},
	{randomFrame, false},
}

func deepFrame(depth int) []byte {
	payload := []byte{0, 7, 'v', 'e', 'r', 's', 'i', 'o', 'n'}
	for range depth {
		payload = append(payload, 1, 1, 's')
	}
	for range depth {
		payload = append(payload, 2)
	}
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(payload))), payload...)
}

func randomFrame(w *worker) []byte {
	payload := make([]byte, 1+w.rng.IntN(64))
	for i := range payload {
		payload[i] = byte(w.rng.Uint32())
	}
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(payload))), payload...)
}

// sendGarbage sends one garbage frame on a connection of its own and
// checks that the daemon closes it when it must.
func (w *worker) sendGarbage() {
	kind := garbageKinds[w.rng.IntN(len(garbageKinds))]
	c, err := net.DialTimeout("unix", w.cfg.Socket, 10*time.Second)
	if err != nil {
		w.fail("garbage connection: %v", err)
		return
	}
	defer c.Close()
	w.garbage++
	if _, err := c.Write(kind.frame(w)); err != nil {
		return // closed already: that is what we want
	}
	if !kind.closes {
		return
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = io.Copy(io.Discard, c)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		w.kept++
	}
}
