package ike

import (
	"hash"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charond/charond/identity"
)

type saState uint8

const (
	stateConnecting saState = iota // IKE_SA_INIT answered, IKE_AUTH pending
	stateEstablished
	stateRekeyed // replaced by a rekey, waits for the peer's delete
	stateDeleted
)

// ikeSA is the responder's state of one IKE_SA.
type ikeSA struct {
	srv       *Server
	spii      uint64 // set once, read without the lock
	initiator bool   // we initiated it; set once, read without the lock
	created   time.Time
	done      atomic.Bool               // past IKE_AUTH (or failed); read without the lock
	rekeyed   atomic.Bool               // in stateRekeyed or gone after it
	uniq      atomic.Pointer[uniqueKey] // while established, for the unique policy
	logf      atomic.Pointer[LogFunc]
	resp      chan []byte // responses to our requests, from Handle

	reqMu sync.Mutex // one request of ours in flight; guards reqID
	reqID uint32     // message ID of our next request

	mu          sync.Mutex // guards everything below
	spir        uint64
	unique      uint32
	local       netip.AddrPort
	remote      netip.AddrPort
	natLocal    bool // we are behind a NAT
	natRemote   bool // the peer is behind a NAT
	state       saState
	suite       *suite
	prf         func() hash.Hash
	keys        ikeKeys
	in, out     *cipherSuite
	ni, nr      []byte
	initReq     []byte // IKE_SA_INIT request and response, signed by AUTH
	initResp    []byte
	nextID      uint32 // message ID of the next request we expect
	lastResp    []byte // cached response to request nextID-1
	peers       []*Peer
	peer        *Peer
	localID     identity.Identity
	remoteID    identity.Identity
	vips        []netip.Addr // the peer's virtual IPs (we are responder)
	localVIPs   []netip.Addr // ours (we are initiator)
	dns         []netip.Addr // DNS servers we received
	children    []*ChildSA
	established time.Time
	rekeyOf     *ikeSA // the IKE_SA this one rekeyed, if any
	rekeyOfSPI  uint64 // its SPI
}

// SAInfo describes an IKE_SA for listings.
type SAInfo struct {
	Name        string
	Unique      uint32
	SPIi, SPIr  uint64
	Local       netip.AddrPort
	Remote      netip.AddrPort
	LocalID     identity.Identity
	RemoteID    identity.Identity
	NATLocal    bool // we are behind a NAT
	NATRemote   bool
	Initiator   bool // we initiated the IKE_SA
	RemoteVIPs  []netip.Addr
	LocalVIPs   []netip.Addr
	Established time.Time
	Algs        Algorithms
	Children    []ChildSA // copies without keys
}

// isEstablished reports whether the SA left the half-open state. It does
// not take sa.mu, since the server calls it under its own lock.
func (sa *ikeSA) isEstablished() bool { return sa.done.Load() }

func (sa *ikeSA) info() (SAInfo, bool) {
	sa.mu.Lock()
	defer sa.mu.Unlock()
	if sa.state != stateEstablished {
		return SAInfo{}, false
	}
	return sa.snapshot(), true
}

// snapshot describes the SA whatever its state; the caller holds sa.mu.
func (sa *ikeSA) snapshot() SAInfo {
	i := SAInfo{Unique: sa.unique, SPIi: sa.spii, SPIr: sa.spir,
		Local: sa.local, Remote: sa.remote, LocalID: sa.localID, RemoteID: sa.remoteID,
		NATLocal: sa.natLocal, NATRemote: sa.natRemote,
		RemoteVIPs: append([]netip.Addr(nil), sa.vips...),
		Initiator:  sa.initiator, LocalVIPs: append([]netip.Addr(nil), sa.localVIPs...),
		Established: sa.established}
	if sa.peer != nil {
		i.Name = sa.peer.Name
	}
	if st := sa.suite; st != nil {
		bits := st.encKey * 8
		if st.aead() {
			bits -= 32
		}
		i.Algs = Algorithms{Encr: st.encr, EncrBits: uint16(bits), Integ: st.integ,
			PRF: st.prf, DH: st.dh}
	}
	for _, c := range sa.children {
		cc := *c
		cc.EncrIn, cc.EncrOut, cc.IntegIn, cc.IntegOut = nil, nil, nil, nil
		i.Children = append(i.Children, cc)
	}
	return i
}

// name is the connection name with the unique number, as strongSwan logs.
func (sa *ikeSA) name() string {
	n := "(unnamed)"
	if sa.peer != nil {
		n = sa.peer.Name
	}
	return n + "[" + itoa(sa.unique) + "]"
}

// handle processes a request on an existing IKE_SA. Follow-up work that
// touches other SAs (or removes this one) runs after sa.mu is released.
func (sa *ikeSA) handle(msg []byte, h Header, local, remote netip.AddrPort) []byte {
	out, after := sa.process(msg, h, local, remote)
	if after != nil {
		after()
	}
	return out
}

func (sa *ikeSA) process(msg []byte, h Header, local, remote netip.AddrPort) ([]byte, func()) {
	sa.mu.Lock()
	defer sa.mu.Unlock()
	log := sa.srv.log
	if sa.state == stateDeleted || sa.initiator && h.SPIr != sa.spir {
		return nil, nil
	}
	if h.MsgID+1 == sa.nextID && sa.lastResp != nil {
		log.Info("received retransmit of request, retransmitting response",
			"ike_sa", sa.name(), "id", h.MsgID)
		return sa.lastResp, nil
	}
	if h.MsgID != sa.nextID {
		log.Debug("dropping request with unexpected message ID", "ike_sa", sa.name(),
			"id", h.MsgID, "want", sa.nextID)
		return nil, nil
	}
	m, err := Decode(msg)
	if err != nil {
		log.Info("received invalid message", "ike_sa", sa.name(), "err", err)
		return nil, nil
	}
	sk, ok := find[*Encrypted](m.Payloads)
	if !ok || sa.in == nil {
		log.Info("dropping unprotected request", "ike_sa", sa.name())
		return nil, nil
	}
	pt, err := sa.in.open(msg, sk)
	if err != nil {
		log.Info("integrity check of encrypted payload failed", "ike_sa", sa.name())
		return nil, nil
	}
	inner, err := decodeChain(sk.Inner, pt)
	if err != nil {
		log.Info("parsing encrypted payloads failed", "ike_sa", sa.name(), "err", err)
		return sa.reply(h, []Payload{&Notify{NType: NInvalidSyntax}}), nil
	}
	sa.local, sa.remote = local, remote
	if k := sa.uniq.Load(); k != nil && k.host != remote {
		sa.publishUnique() // the peer moved (a new NAT mapping)
	}
	log.Debug("parsed request", "ike_sa", sa.name(), "exchange", h.Exchange.String(),
		"id", h.MsgID, "payloads", describe(inner))
	var resp []Payload
	var after func()
	switch {
	case h.Exchange == IKEAuth && sa.state == stateConnecting && !sa.initiator:
		resp, after = sa.handleAuth(inner)
	case h.Exchange == Informational &&
		(sa.state == stateEstablished || sa.state == stateRekeyed):
		resp, after = sa.handleInformational(inner)
	case h.Exchange == CreateChildSA && sa.state == stateRekeyed:
		log.Info("IKE_SA already rekeyed, sending TEMPORARY_FAILURE", "ike_sa", sa.name())
		resp = []Payload{&Notify{NType: NTemporaryFailure}}
	case h.Exchange == CreateChildSA && sa.state == stateEstablished:
		resp, after = sa.handleCreateChild(inner)
	default:
		log.Info("unexpected exchange, ignoring", "ike_sa", sa.name(),
			"exchange", h.Exchange.String())
		return nil, nil
	}
	return sa.reply(h, resp), after
}

// reply encrypts the response to request h, caches it and advances the
// message ID window.
func (sa *ikeSA) reply(h Header, ps []Payload) []byte {
	rh := Header{SPIi: sa.spii, SPIr: sa.spir, Exchange: h.Exchange,
		Flags: FlagResponse | sa.flags(), MsgID: h.MsgID}
	first, plain := encodeChain(ps)
	b, err := sa.out.seal(rh, first, plain, sa.srv.opt.Rand)
	if err != nil {
		sa.srv.log.Error("building response failed", "ike_sa", sa.name(), "err", err)
		return nil
	}
	sa.srv.log.Debug("generating response", "ike_sa", sa.name(),
		"exchange", h.Exchange.String(), "id", h.MsgID, "payloads", describe(ps))
	sa.lastResp = b
	sa.nextID = h.MsgID + 1
	return b
}

// destroy releases the IKE_SA's leases and children and forgets it.
func (sa *ikeSA) destroy() {
	sa.mu.Lock()
	defer sa.mu.Unlock()
	sa.destroyLocked()
}

// destroyLocked is destroy for callers holding sa.mu.
func (sa *ikeSA) destroyLocked() {
	if sa.state == stateDeleted {
		return
	}
	wasUp := sa.state == stateEstablished
	sa.state = stateDeleted
	sa.uniq.Store(nil)
	sa.done.Store(true)
	for _, c := range sa.children {
		sa.childUpDown(c, false)
		if err := sa.srv.opt.Dataplane.Remove(c); err != nil {
			sa.srv.log.Error("removing CHILD_SA failed", "child", c.Name, "err", err)
		}
	}
	sa.children = nil
	if wasUp {
		sa.ikeUpDown(false)
	}
	if sa.initiator && len(sa.localVIPs)+len(sa.dns) > 0 && sa.srv.opt.VirtualIPs != nil {
		for _, v := range sa.localVIPs {
			sa.logc(1, "removing virtual IP "+v.String())
		}
		if err := sa.srv.opt.VirtualIPs.Remove(sa.name()); err != nil {
			sa.srv.log.Error("removing virtual IPs failed", "ike_sa", sa.name(), "err", err)
		}
	}
	sa.localVIPs, sa.dns = nil, nil
	if sa.peer != nil && !sa.initiator {
		for _, v := range sa.vips {
			sa.srv.opt.Allocator.Release(sa.peer.Pools, sa.remoteID, v)
		}
	}
	sa.vips = nil
	sa.srv.remove(sa)
	if sa.rekeyOf != nil {
		sa.srv.forgetRekeyed(sa.rekeyOf, sa.rekeyOfSPI)
	}
}
