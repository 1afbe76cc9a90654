package ike

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// ErrTimeout reports a request the peer never answered.
var ErrTimeout = errors.New("ike: peer did not respond")

// Transport carries the requests this Server sends.
type Transport interface {
	// Local returns the address to send from towards remote: one of the
	// same family, on port 4500 when remote's port is 4500.
	Local(remote netip.AddrPort) (netip.AddrPort, bool)
	// Send sends one IKE message (without non-ESP marker) from local.
	Send(msg []byte, local, remote netip.AddrPort) error
}

// ControlLog is one log record of an Initiate or Terminate, with the
// fields of VICI's control-log event.
type ControlLog struct {
	Group     string // IKE, CFG, KNL
	Level     int    // strongSwan's levels: 0 basic, 1 audit, 2 control, ...
	IKEName   string // connection name of the IKE_SA
	IKEUnique uint32
	Msg       string
}

// LogFunc receives the log records of one Initiate or Terminate, as
// strongSwan streams them to the client that asked.
type LogFunc func(ControlLog)

// logc logs msg for the IKE_SA to the server's log (Info up to level 1,
// Debug above) and to the LogFunc of the command running on the SA.
func (sa *ikeSA) logc(level int, msg string, args ...any) {
	sa.logg("IKE", level, msg, args...)
}

func (sa *ikeSA) logg(group string, level int, msg string, args ...any) {
	name := sa.name()
	args = append(args, "ike_sa", name)
	if level <= 1 {
		sa.srv.log.Info(msg, args...)
	} else {
		sa.srv.log.Debug(msg, args...)
	}
	if f := sa.logf.Load(); f != nil {
		pn := "(unnamed)"
		if sa.peer != nil {
			pn = sa.peer.Name
		}
		(*f)(ControlLog{Group: group, Level: level, IKEName: pn, IKEUnique: sa.unique,
			Msg: msg})
	}
}

// setLog sends the SA's log records to f until it is called with nil.
func (sa *ikeSA) setLog(f LogFunc) {
	if f == nil {
		sa.logf.Store(nil)
		return
	}
	sa.logf.Store(&f)
}

// flags are the header flags of every message we send on the SA.
func (sa *ikeSA) flags() uint8 {
	if sa.initiator {
		return FlagInitiator
	}
	return 0
}

// deliver hands a response to the request waiting for it.
func (sa *ikeSA) deliver(msg []byte, h Header) {
	select {
	case sa.resp <- msg:
	default:
		sa.srv.log.Debug("dropping unexpected response", "ike_sa", sa.name(), "id", h.MsgID)
	}
}

func (s *Server) transport() Transport {
	if s.opt.Transport != nil {
		return s.opt.Transport
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.udp
}

// transmit sends msg and waits for the response of exchange ex with
// message ID id, retransmitting with charon's back-off. It returns the
// raw response.
func (sa *ikeSA) transmit(ctx context.Context, msg []byte, ex ExchangeType, id uint32,
	local, remote netip.AddrPort) ([]byte, error) {
	tr := sa.srv.transport()
	if tr == nil {
		return nil, errors.New("ike: no transport to send requests")
	}
	for {
		select { // drop stale responses of earlier requests
		case <-sa.resp:
			continue
		default:
		}
		break
	}
	sa.srv.count(sa.connName(), ex, false, false)
	timeout := sa.srv.opt.RetransmitTimeout
	for try := 0; try <= sa.srv.opt.RetransmitTries; try++ {
		if try > 0 {
			sa.logc(1, fmt.Sprintf("retransmit %d of request with message ID %d", try, id))
		}
		sa.logc(2, fmt.Sprintf("sending packet: from %s to %s (%d bytes)", apText(local),
			apText(remote), len(msg)))
		if err := tr.Send(msg, local, remote); err != nil {
			return nil, fmt.Errorf("ike: sending: %w", err)
		}
		t := time.NewTimer(timeout)
		for waiting := true; waiting; {
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, fmt.Errorf("ike: %w", ctx.Err())
			case <-t.C:
				waiting = false
			case b := <-sa.resp:
				h, err := DecodeHeader(b)
				if err != nil || h.MsgID != id || h.Exchange != ex {
					continue
				}
				t.Stop()
				sa.logc(2, fmt.Sprintf("received packet: from %s to %s (%d bytes)",
					apText(remote), apText(local), len(b)))
				return b, nil
			}
		}
		timeout = timeout * 18 / 10
	}
	sa.logc(1, fmt.Sprintf("giving up after %d retransmits", sa.srv.opt.RetransmitTries))
	return nil, ErrTimeout
}

// request runs one encrypted exchange of ours and returns the payloads of
// the response.
func (sa *ikeSA) request(ctx context.Context, ex ExchangeType, ps []Payload) ([]Payload, error) {
	sa.reqMu.Lock()
	defer sa.reqMu.Unlock()
	sa.mu.Lock()
	if sa.state == stateDeleted || sa.out == nil {
		sa.mu.Unlock()
		return nil, fmt.Errorf("ike: IKE_SA %s is gone", sa.name())
	}
	id := sa.reqID
	h := Header{SPIi: sa.spii, SPIr: sa.spir, Exchange: ex, Flags: sa.flags(), MsgID: id}
	first, plain := encodeChain(ps)
	msg, err := sa.out.seal(h, first, plain, sa.srv.opt.Rand)
	local, remote := sa.local, sa.remote
	sa.mu.Unlock()
	if err != nil {
		return nil, err
	}
	sa.logc(1, fmt.Sprintf("generating %s request %d [ %s ]", ex, id, describe(ps)))
	raw, err := sa.transmit(ctx, msg, ex, id, local, remote)
	if err != nil {
		return nil, err
	}
	sa.reqID++
	inner, err := sa.openResponse(raw)
	if err != nil {
		sa.logc(1, "parsing "+ex.String()+" response failed: "+err.Error())
		return nil, err
	}
	sa.logc(1, fmt.Sprintf("parsed %s response %d [ %s ]", ex, id, describe(inner)))
	return inner, nil
}

// openResponse decrypts an encrypted response.
func (sa *ikeSA) openResponse(raw []byte) ([]Payload, error) {
	sa.mu.Lock()
	defer sa.mu.Unlock()
	m, err := Decode(raw)
	if err != nil {
		return nil, err
	}
	sk, ok := find[*Encrypted](m.Payloads)
	if !ok {
		return nil, fmt.Errorf("%w: unprotected response", ErrSyntax)
	}
	pt, err := sa.in.open(raw, sk)
	if err != nil {
		return nil, err
	}
	inner, err := decodeChain(sk.Inner, pt)
	if err != nil {
		return nil, err
	}
	return inner, nil
}

func apText(ap netip.AddrPort) string {
	return ap.Addr().Unmap().String() + "[" + itoa(uint32(ap.Port())) + "]"
}
