package ike

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"sync"
	"time"
)

// Options configure a Server. Configs, Secrets and Allocator are required.
type Options struct {
	Configs   Configs
	Secrets   Secrets
	Allocator Allocator
	Dataplane Dataplane    // nil means NoDataplane
	Events    Events       // nil reports nothing
	Log       *slog.Logger // nil discards
	// Initiators finds connections for Initiate; nil refuses to initiate.
	Initiators Initiators
	// VirtualIPs installs the VIPs an initiated IKE_SA receives; nil
	// installs nothing (and Initiate logs that).
	VirtualIPs VirtualIPs
	// Transport sends the requests of initiated IKE_SAs and of Terminate;
	// nil means the sockets of Serve.
	Transport Transport
	// RetransmitTimeout is the first retransmission timeout of a request
	// (0 means 4s); each retry waits 1.8 times longer, as charon does.
	RetransmitTimeout time.Duration
	// RetransmitTries is the number of retransmissions (0 means 5).
	RetransmitTries int
	// NATTPort is our port of NAT traversal (charon.port_nat_t; 0 means
	// 4500); peers are reached on 4500 once NAT is detected.
	NATTPort uint16
	// CookieThreshold is the number of half-open IKE_SAs from which
	// IKE_SA_INIT requests must carry a cookie (0 means 30).
	CookieThreshold int
	// HalfOpenTimeout drops IKE_SAs stuck before IKE_AUTH (0 means 30s).
	HalfOpenTimeout time.Duration
	// HalfOpenLimit ignores new IKE_SA_INIT requests while this many
	// IKE_SAs are half-open (charon.init_limit_half_open; 0: no limit).
	// Cookies stop spoofed floods; this bounds a peer that answers them.
	HalfOpenLimit int
	// IKESALimit ignores new IKE_SA_INIT requests while this many IKE_SAs
	// exist (charon.ikesa_limit; 0: no limit).
	IKESALimit int
	Rand       io.Reader // nil means crypto/rand
	Now        func() time.Time
}

type halfKey struct {
	spii   uint64
	remote netip.AddrPort
}

// Server is an IKEv2 responder and initiator. Handle processes one
// datagram; Serve runs it on UDP sockets. It is safe for concurrent use.
//
// TODO: established IKE_SAs and CHILD_SAs have no lifetimes and the server
// sends no DPD: an SA lives until Terminate, the peer's delete or
// INITIAL_CONTACT; we rekey only through RekeyChild (peers may rekey both).
type Server struct {
	opt    Options
	log    *slog.Logger
	secret []byte // cookie secret

	mu       sync.Mutex // guards the fields below
	sas      map[uint64]*ikeSA
	halfOpen map[halfKey]*ikeSA
	unique   uint32
	childID  uint32
	udp      Transport // set by Serve
}

// NewServer returns a responder with the given options.
func NewServer(o Options) *Server {
	if o.Dataplane == nil {
		o.Dataplane = NoDataplane{Log: o.Log}
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.CookieThreshold == 0 {
		o.CookieThreshold = 30
	}
	if o.HalfOpenTimeout == 0 {
		o.HalfOpenTimeout = 30 * time.Second
	}
	if o.RetransmitTimeout == 0 {
		o.RetransmitTimeout = 4 * time.Second
	}
	if o.NATTPort == 0 {
		o.NATTPort = NATTPort
	}
	if o.RetransmitTries == 0 {
		o.RetransmitTries = 5
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Server{opt: o, log: o.Log.With("subsys", "ike"),
		sas: map[uint64]*ikeSA{}, halfOpen: map[halfKey]*ikeSA{}}
	s.secret = s.random(32)
	return s
}

func (s *Server) random(n int) []byte {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.opt.Rand, b); err != nil {
		panic(fmt.Sprintf("ike: random source failed: %v", err))
	}
	return b
}

// Handle processes one IKE message (without the non-ESP marker) received on
// local from remote and returns the reply to send back, or nil.
func (s *Server) Handle(msg []byte, local, remote netip.AddrPort) []byte {
	h, err := DecodeHeader(msg)
	if err != nil {
		s.log.Debug("dropping invalid IKE message", "from", remote, "err", err)
		s.countOther("invalid")
		return nil
	}
	// Our SPI is SPIr on IKE_SAs the peer initiated, SPIi on those we did.
	fromInitiator := h.Flags&FlagInitiator != 0
	if fromInitiator && !h.IsResponse() && h.Exchange == IKESAInit && h.SPIr == 0 {
		s.count("", IKESAInit, true, false)
		out := s.handleInit(msg, h, local, remote)
		if out != nil {
			s.count("", IKESAInit, false, true)
		}
		return out
	}
	ours := h.SPIr
	if !fromInitiator {
		ours = h.SPIi
	}
	s.mu.Lock()
	sa := s.sas[ours]
	s.mu.Unlock()
	if sa == nil || sa.initiator == fromInitiator || (fromInitiator && sa.spii != h.SPIi) {
		s.log.Debug("received message for unknown IKE_SA", "from", remote,
			"spi", spiText64(ours))
		s.countOther("invalid-spi")
		return nil
	}
	name := sa.connName()
	s.count(name, h.Exchange, true, h.IsResponse())
	if h.IsResponse() {
		sa.deliver(msg, h)
		return nil
	}
	out := sa.handle(msg, h, local, remote)
	if out != nil {
		if name == "" { // IKE_AUTH just picked the connection
			name = sa.connName()
		}
		s.count(name, h.Exchange, false, true)
	}
	return out
}

// register stores a new IKE_SA under a fresh, unused responder SPI.
func (s *Server) register(sa *ikeSA, key halfKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store(sa)
	s.halfOpen[key] = sa
}

// store gives sa a fresh, unused responder SPI and unique ID and keeps it.
// The caller holds s.mu.
func (s *Server) store(sa *ikeSA) {
	for {
		spi := binary.BigEndian.Uint64(s.random(8))
		if spi != 0 && s.sas[spi] == nil {
			sa.spir = spi
			break
		}
	}
	s.unique++
	sa.unique = s.unique
	s.sas[sa.spir] = sa
}

// countHalfOpen counts and expires IKE_SAs that have not completed IKE_AUTH.
func (s *Server) countHalfOpen() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opt.Now()
	for k, sa := range s.halfOpen {
		if sa.isEstablished() {
			delete(s.halfOpen, k)
		} else if now.Sub(sa.created) > s.opt.HalfOpenTimeout {
			delete(s.halfOpen, k)
			delete(s.sas, sa.spir)
			s.log.Info("deleting half open IKE_SA after timeout", "peer", k.remote)
		}
	}
	return len(s.halfOpen)
}

// nextChildID numbers CHILD_SAs, as strongSwan's {n} in logs.
func (s *Server) nextChildID() uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.childID++
	return s.childID
}

// remove forgets an IKE_SA.
func (s *Server) remove(sa *ikeSA) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sa.initiator {
		delete(s.sas, sa.spii)
		return
	}
	delete(s.sas, sa.spir)
	delete(s.halfOpen, halfKey{sa.spii, sa.remote})
}

// cookie computes the stateless cookie of RFC 7296 section 2.6.
func (s *Server) cookie(ni []byte, remote netip.AddrPort, spii uint64) []byte {
	h := sha256.New()
	h.Write(s.secret)
	h.Write(ni)
	h.Write(remote.Addr().AsSlice())
	h.Write(binary.BigEndian.AppendUint64(nil, spii))
	return append([]byte{0}, h.Sum(nil)...)
}

// SAs returns a snapshot of the established IKE_SAs.
func (s *Server) SAs() []SAInfo {
	s.mu.Lock()
	list := make([]*ikeSA, 0, len(s.sas))
	for _, sa := range s.sas {
		list = append(list, sa)
	}
	s.mu.Unlock()
	var out []SAInfo
	for _, sa := range list {
		if info, ok := sa.info(); ok {
			out = append(out, info)
		}
	}
	return out
}

func spiText(spi uint32) string   { return fmt.Sprintf("%08x", spi) }
func spiText64(spi uint64) string { return fmt.Sprintf("%016x", spi) }
