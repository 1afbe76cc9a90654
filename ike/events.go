package ike

import (
	"context"
	"fmt"
)

// Events hears about SAs coming up and going down and about the messages
// exchanged, for VICI's ike-updown and child-updown events and for the
// message counters. The Server calls it with the IKE_SA's lock held: an
// implementation must not call back into the Server.
type Events interface {
	// IKEUpDown reports an IKE_SA established (up) or deleted.
	IKEUpDown(sa SAInfo, up bool)
	// ChildUpDown reports a CHILD_SA of sa installed (up) or deleted.
	ChildUpDown(sa SAInfo, child ChildSA, up bool)
	// Count counts one message, or one invalid one, under the counter
	// names of strongSwan's counters plugin ("ike-auth-in-req",
	// "invalid-spi", ...); conn is the connection, "" when not known yet.
	Count(conn, counter string)
}

// Algorithms are the transforms of a negotiated IKE_SA.
type Algorithms struct {
	Encr, EncrBits, Integ, PRF, DH uint16
}

// TransformName is strongSwan's name of a transform ("AES_CBC",
// "HMAC_SHA2_256_128", "CURVE_25519").
func TransformName(t TransformType, id uint16) string {
	if n, ok := transformNames[[2]uint16{uint16(t), id}]; ok {
		return n
	}
	return "UNKNOWN_" + itoa(uint32(id))
}

// exchangeCounter is the counters-plugin stem of an exchange.
func exchangeCounter(ex ExchangeType) string {
	switch ex {
	case IKESAInit:
		return "ike-init"
	case IKEAuth:
		return "ike-auth"
	case CreateChildSA:
		return "create-child"
	case Informational:
		return "info"
	}
	return ""
}

// count reports one message of exchange ex to Events.
func (s *Server) count(conn string, ex ExchangeType, in, response bool) {
	stem := exchangeCounter(ex)
	if s.opt.Events == nil || stem == "" {
		return
	}
	dir, kind := "-out", "-req"
	if in {
		dir = "-in"
	}
	if response {
		kind = "-resp"
	}
	s.opt.Events.Count(conn, stem+dir+kind)
}

// countOther reports an invalid message ("invalid", "invalid-spi").
func (s *Server) countOther(counter string) {
	if s.opt.Events != nil {
		s.opt.Events.Count("", counter)
	}
}

// connName is the connection of the SA, "" before IKE_AUTH picked one.
func (sa *ikeSA) connName() string {
	sa.mu.Lock()
	defer sa.mu.Unlock()
	if sa.peer == nil {
		return ""
	}
	return sa.peer.Name
}

// ikeUpDown reports the SA to Events; the caller holds sa.mu.
func (sa *ikeSA) ikeUpDown(up bool) {
	if ev := sa.srv.opt.Events; ev != nil && sa.peer != nil {
		ev.IKEUpDown(sa.snapshot(), up)
	}
}

// childUpDown reports a CHILD_SA to Events; the caller holds sa.mu.
func (sa *ikeSA) childUpDown(c *ChildSA, up bool) {
	if ev := sa.srv.opt.Events; ev != nil && sa.peer != nil {
		cc := *c
		cc.EncrIn, cc.EncrOut, cc.IntegIn, cc.IntegOut = nil, nil, nil, nil
		ev.ChildUpDown(sa.snapshot(), cc, up)
	}
}

// Counts returns the number of IKE_SAs and how many of them are half
// open, for VICI's stats.
func (s *Server) Counts() (total, halfOpen int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sa := range s.sas {
		if !sa.isEstablished() {
			halfOpen++
		}
	}
	return len(s.sas), halfOpen
}

// TerminateChild deletes the CHILD_SAs named child (any name when empty)
// or, when id is not 0, the one with that unique ID, on the IKE_SAs of
// connection ikeName (all when empty) or with unique ID ikeID. It returns
// how many matched and how many the peer confirmed.
func (s *Server) TerminateChild(ctx context.Context, ikeName string, ikeID uint32,
	child string, id uint32, logf LogFunc) (matches, terminated int, err error) {
	for _, sa := range s.established() {
		sa.mu.Lock()
		var list []*ChildSA
		if (ikeID == 0 || sa.unique == ikeID) && (ikeName == "" || sa.peer.Name == ikeName) {
			for _, c := range sa.children {
				if (id == 0 || c.Unique == id) && (child == "" || c.Name == child) {
					list = append(list, c)
				}
			}
		}
		sa.mu.Unlock()
		if len(list) == 0 {
			continue
		}
		sa.setLog(logf)
		for _, c := range list {
			matches++
			if e := sa.deleteChild(ctx, c); e == nil {
				terminated++
			} else if err == nil {
				err = fmt.Errorf("deleting CHILD_SA %s{%d}: %w", c.Name, c.Unique, e)
			}
		}
		sa.setLog(nil)
	}
	return matches, terminated, err
}
