package ike

import (
	"context"
	"encoding/binary"
	"fmt"
)

// Terminate deletes the established IKE_SAs of the connection ikeName (of
// every connection when empty) or, when id is not 0, the one with that
// unique ID, telling each peer with an INFORMATIONAL DELETE. An SA whose
// peer does not answer is removed all the same. It returns how many SAs
// matched and how many were deleted cleanly. Single CHILD_SAs are
// terminated by TerminateChild.
func (s *Server) Terminate(ctx context.Context, ikeName string, id uint32,
	logf LogFunc) (matches, terminated int, err error) {
	for _, sa := range s.established() {
		sa.mu.Lock()
		match := (id == 0 || sa.unique == id) && (ikeName == "" || sa.peer.Name == ikeName)
		sa.mu.Unlock()
		if !match {
			continue
		}
		matches++
		sa.setLog(logf)
		if e := sa.deleteSelf(ctx); e == nil {
			terminated++
		} else if err == nil {
			err = e
		}
		sa.setLog(nil)
	}
	return matches, terminated, err
}

// Shutdown deletes every established IKE_SA, as on daemon shutdown, so
// that leases, virtual IPs and routes go with them.
func (s *Server) Shutdown(ctx context.Context) error {
	_, _, err := s.Terminate(ctx, "", 0, nil)
	s.mu.Lock()
	var rest []*ikeSA
	for _, sa := range s.sas {
		rest = append(rest, sa)
	}
	s.mu.Unlock()
	for _, sa := range rest { // half-open ones
		sa.destroy()
	}
	return err
}

func (s *Server) established() []*ikeSA {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*ikeSA
	for _, sa := range s.sas {
		if sa.isEstablished() && !sa.rekeyed.Load() {
			out = append(out, sa)
		}
	}
	return out
}

// deleteSelf sends a DELETE for the IKE_SA and removes it whatever the
// peer answers.
func (sa *ikeSA) deleteSelf(ctx context.Context) error {
	sa.mu.Lock()
	if sa.state != stateEstablished {
		sa.mu.Unlock()
		return fmt.Errorf("%w: IKE_SA %s is not established", ErrNotFound, sa.name())
	}
	sa.logc(1, "deleting IKE_SA "+sa.name()+" between "+endpoint(sa.local, sa.localID)+
		"..."+endpoint(sa.remote, sa.remoteID))
	sa.mu.Unlock()
	sa.logc(1, "sending DELETE for IKE_SA "+sa.name())
	_, err := sa.request(ctx, Informational, []Payload{&Delete{Protocol: ProtoIKE}})
	sa.destroy()
	if err != nil {
		sa.logc(1, "IKE_SA deleted without the peer's confirmation: "+err.Error())
		return err
	}
	sa.logc(1, "IKE_SA deleted")
	return nil
}

// RekeyChild rekeys the CHILD_SA with unique ID id with CREATE_CHILD_SA
// (RFC 7296 section 1.3.3) and then deletes the old SA. It works on IKE_SAs
// of either role.
//
// TODO: rekeying with a key exchange of its own (PFS groups in the ESP
// proposals) and rekeying the IKE_SA are not implemented; children have
// no lifetimes, so rekeying happens only when asked for.
func (s *Server) RekeyChild(ctx context.Context, id uint32, logf LogFunc) error {
	for _, sa := range s.established() {
		sa.mu.Lock()
		var old *ChildSA
		for _, c := range sa.children {
			if c.Unique == id {
				old = c
			}
		}
		var cfg *Child
		for i := range sa.peer.Children {
			if old != nil && sa.peer.Children[i].Name == old.Name {
				cfg = &sa.peer.Children[i]
			}
		}
		sa.mu.Unlock()
		if old == nil {
			continue
		}
		if cfg == nil {
			return fmt.Errorf("%w: config of CHILD_SA %s{%d}", ErrNotFound, old.Name, id)
		}
		sa.setLog(logf)
		defer sa.setLog(nil)
		return sa.rekeyChild(ctx, cfg, old)
	}
	return fmt.Errorf("%w: CHILD_SA with unique ID %d", ErrNotFound, id)
}

func (sa *ikeSA) rekeyChild(ctx context.Context, cfg *Child, old *ChildSA) error {
	ni := sa.srv.random(32)
	ps, spi := sa.childRequest(cfg, old.LocalTS, old.RemoteTS)
	oldSPI := binary.BigEndian.AppendUint32(nil, old.SPIIn)
	ps = append([]Payload{&Notify{Protocol: ProtoESP, SPI: oldSPI, NType: NRekeySA},
		ps[0], &Nonce{Data: ni}}, ps[1:]...)
	id := sa.srv.nextChildID()
	sa.logc(1, "establishing CHILD_SA "+cfg.Name+"{"+itoa(id)+"} reqid "+
		itoa(old.Unique)+" to rekey "+cfg.Name+"{"+itoa(old.Unique)+"}")
	resp, err := sa.request(ctx, CreateChildSA, ps)
	if err != nil {
		return err
	}
	if n, ok := errorNotify(resp); ok {
		sa.logc(1, "received "+n.NType.String()+" notify, rekeying failed")
		return fmt.Errorf("%w: rekeying CHILD_SA: peer sent %s", ErrFailed, n.NType)
	}
	nr, ok := find[*Nonce](resp)
	if !ok {
		return fmt.Errorf("%w: CREATE_CHILD_SA response without nonce", ErrFailed)
	}
	if err := sa.adoptChild(cfg, resp, spi, old.LocalTS, old.RemoteTS, ni, nr.Data,
		id); err != nil {
		return err
	}
	return sa.deleteChild(ctx, old)
}

// deleteChild deletes one CHILD_SA with INFORMATIONAL and removes it.
func (sa *ikeSA) deleteChild(ctx context.Context, c *ChildSA) error {
	sa.logc(1, "closing CHILD_SA "+c.Name+"{"+itoa(c.Unique)+"} with SPIs "+
		spiText(c.SPIIn)+"_i "+spiText(c.SPIOut)+"_o")
	sa.logc(1, "sending DELETE for ESP CHILD_SA with SPI "+spiText(c.SPIIn))
	sa.mu.Lock()
	for i, o := range sa.children {
		if o == c {
			sa.childUpDown(c, false)
			sa.children = append(sa.children[:i], sa.children[i+1:]...)
			break
		}
	}
	sa.mu.Unlock()
	if err := sa.srv.opt.Dataplane.Remove(c); err != nil {
		sa.srv.log.Error("removing CHILD_SA failed", "child", c.Name, "err", err)
	}
	_, err := sa.request(ctx, Informational, []Payload{&Delete{Protocol: ProtoESP,
		SPISize: 4, SPIs: [][]byte{binary.BigEndian.AppendUint32(nil, c.SPIIn)}}})
	return err
}
