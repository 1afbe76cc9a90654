package vici

import "time"

// Limits bound what one client can make the server hold. Zero fields take
// the defaults of DefaultLimits. Each client has at most one request in
// flight, so memory held for clients is bounded by MaxClients × (MaxFrame +
// QueueBytes + a decoded request); a decoded element costs up to 350 bytes
// (BenchmarkDecodeMaxElements), which is what MaxElements bounds.
type Limits struct {
	MaxFrame    int // largest request frame accepted (strongSwan: 512 KiB)
	MaxReply    int // largest reply or event frame sent
	MaxDepth    int // nesting depth of sections in a request
	MaxElements int // elements in one request message
	MaxClients  int // concurrent connections
	QueueBytes  int // bytes queued for a client before it must read
	// TotalQueueBytes bounds the bytes queued for all clients together;
	// past it the client with the most queued is dropped, so many clients
	// that stop reading cannot make the daemon's memory grow with them.
	TotalQueueBytes int
	WriteTimeout    time.Duration // a client that takes no data for this long is dropped
	// ReadTimeout bounds the time from a request's first byte to its last,
	// so a client cannot hold a connection by sending half a frame. Idle
	// time between requests is not limited: monitors wait for events.
	ReadTimeout time.Duration
}

// DefaultLimits are the limits of a server whose Limits are zero.
var DefaultLimits = Limits{
	MaxFrame:    MaxFrameSize,
	MaxReply:    MaxFrameSize,
	MaxDepth:    64,
	MaxElements: 10000, // far above any request swanctl sends; 3.4 MB decoded
	MaxClients:  1024,
	QueueBytes:  4 << 20,
	// A quarter of what 1,024 clients could each queue.
	TotalQueueBytes: 256 << 20,
	WriteTimeout:    30 * time.Second,
	ReadTimeout:     30 * time.Second,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	pick := func(dst *int, v int) {
		if v > 0 {
			*dst = v
		}
	}
	pick(&d.MaxFrame, l.MaxFrame)
	pick(&d.MaxReply, l.MaxReply)
	pick(&d.MaxDepth, l.MaxDepth)
	pick(&d.MaxElements, l.MaxElements)
	pick(&d.MaxClients, l.MaxClients)
	pick(&d.QueueBytes, l.QueueBytes)
	pick(&d.TotalQueueBytes, l.TotalQueueBytes)
	if l.WriteTimeout > 0 {
		d.WriteTimeout = l.WriteTimeout
	}
	if l.ReadTimeout > 0 {
		d.ReadTimeout = l.ReadTimeout
	}
	return d
}
