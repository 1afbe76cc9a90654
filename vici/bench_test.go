package vici

import (
	"context"
	"net"
	"path/filepath"
	"testing"
)

// BenchmarkRoundTrip measures one request and its reply on one connection,
// the pattern of swanctl --load-all: the server's cost per request.
func BenchmarkRoundTrip(b *testing.B) {
	s := NewServer(nil, Limits{})
	s.Handle("version", func(context.Context, *Request) *Message {
		return NewMessage().Set("daemon", "charond")
	})
	path := filepath.Join(b.TempDir(), "s.vici")
	l, err := Listen("unix://"+path, ListenOptions{UID: -1, GID: -1})
	if err != nil {
		b.Fatal(err)
	}
	go s.Serve(l)
	defer s.Close()
	c, err := net.Dial("unix", path)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	req, _ := (&Packet{Type: CmdRequest, Name: "version", Message: NewMessage()}).AppendFrame(nil)
	b.ResetTimer()
	for range b.N {
		if _, err := c.Write(req); err != nil {
			b.Fatal(err)
		}
		if _, err := ReadFrame(c, MaxFrameSize); err != nil {
			b.Fatal(err)
		}
	}
}
