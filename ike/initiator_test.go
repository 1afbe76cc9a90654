package ike

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"hash"
	"net/netip"
	"testing"

	"github.com/charond/charond/identity"
)

// initiator is a test double: just enough of an IKEv2 initiator to drive
// the responder through IKE_SA_INIT, IKE_AUTH and INFORMATIONAL.
type initiator struct {
	t                 *testing.T
	send              func([]byte) []byte // delivers a request, returns the reply
	local, remote     netip.AddrPort
	proposals         []Proposal
	group             uint16
	psk               []byte
	id, peerID        identity.Identity
	spii, spir        uint64
	ni, nr            []byte
	kex               keyExchange
	st                *suite
	keys              ikeKeys
	in, out           *cipherSuite
	initReq, initResp []byte
	msgID             uint32
	espSPI            uint32
	cookie            []byte
}

func newInitiator(t *testing.T, send func([]byte) []byte, props string, group uint16) *initiator {
	t.Helper()
	ps, err := ParseProposals(ProtoIKE, []string{props})
	if err != nil {
		t.Fatal(err)
	}
	i := &initiator{t: t, send: send, proposals: ps, group: group,
		psk: []byte("secret-psk"), id: identity.Parse("carol@example.org"),
		peerID: identity.Parse("moon.example.org"),
		local:  netip.MustParseAddrPort("192.0.2.2:500"),
		remote: netip.MustParseAddrPort("192.0.2.1:500")}
	i.spii = binary.BigEndian.Uint64(randBytes(8))
	i.ni = randBytes(32)
	return i
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// initRequest builds the IKE_SA_INIT request.
func (i *initiator) initRequest() []byte {
	var err error
	if i.kex, err = newKeyExchange(i.group, rand.Reader); err != nil {
		i.t.Fatal(err)
	}
	var ps []Payload
	if i.cookie != nil {
		ps = append(ps, &Notify{NType: NCookie, Data: i.cookie})
	}
	ps = append(ps, &SA{Proposals: i.proposals}, &KE{Group: i.group, Data: i.kex.Public()},
		&Nonce{Data: i.ni},
		&Notify{NType: NNATDetectionSourceIP, Data: natHash(i.spii, 0, i.local)},
		&Notify{NType: NNATDetectionDestinationIP, Data: natHash(i.spii, 0, i.remote)})
	i.initReq = Encode(&Message{Header: Header{SPIi: i.spii, Exchange: IKESAInit,
		Flags: FlagInitiator}, Payloads: ps})
	return i.initReq
}

// doInit runs IKE_SA_INIT; it returns the error notify the responder sent,
// if any.
func (i *initiator) doInit() NotifyType {
	i.t.Helper()
	reply := i.send(i.initRequest())
	if reply == nil {
		i.t.Fatal("no IKE_SA_INIT response")
	}
	m, err := Decode(reply)
	if err != nil {
		i.t.Fatalf("decoding IKE_SA_INIT response: %v", err)
	}
	if !m.IsResponse() || m.SPIi != i.spii || m.Exchange != IKESAInit {
		i.t.Fatalf("bad IKE_SA_INIT response header %+v", m.Header)
	}
	if n, ok := find[*Notify](m.Payloads); ok && (n.NType.IsError() || n.NType == NCookie) {
		if n.NType == NCookie {
			i.cookie = n.Data
		}
		if n.NType == NInvalidKEPayload {
			i.group = binary.BigEndian.Uint16(n.Data)
		}
		return n.NType
	}
	sap, _ := find[*SA](m.Payloads)
	ke, _ := find[*KE](m.Payloads)
	nr, _ := find[*Nonce](m.Payloads)
	if sap == nil || ke == nil || nr == nil || len(sap.Proposals) != 1 {
		i.t.Fatalf("IKE_SA_INIT response lacks payloads: %s", describe(m.Payloads))
	}
	if ke.Group != i.group {
		i.t.Fatalf("responder used group %d, we sent %d", ke.Group, i.group)
	}
	i.initResp, i.spir, i.nr = reply, m.SPIr, nr.Data
	shared, err := i.kex.Shared(ke.Data)
	if err != nil {
		i.t.Fatal(err)
	}
	if i.st, err = suiteOf(sap.Proposals[0]); err != nil {
		i.t.Fatal(err)
	}
	i.keys = deriveIKE(i.st, i.ni, i.nr, shared, i.spii, i.spir)
	if i.out, err = newCipherSuite(i.st, i.keys.ei, i.keys.ai); err != nil {
		i.t.Fatal(err)
	}
	if i.in, err = newCipherSuite(i.st, i.keys.er, i.keys.ar); err != nil {
		i.t.Fatal(err)
	}
	i.msgID = 1
	return 0
}

// request encrypts ps into a request of exchange ex.
func (i *initiator) request(ex ExchangeType, ps []Payload) []byte {
	first, plain := encodeChain(ps)
	b, err := i.out.seal(Header{SPIi: i.spii, SPIr: i.spir, Exchange: ex,
		Flags: FlagInitiator, MsgID: i.msgID}, first, plain, rand.Reader)
	if err != nil {
		i.t.Fatal(err)
	}
	return b
}

// exchange sends an encrypted request and decrypts the response.
func (i *initiator) exchange(ex ExchangeType, ps []Payload) []Payload {
	i.t.Helper()
	return i.open(i.send(i.request(ex, ps)))
}

func (i *initiator) open(reply []byte) []Payload {
	i.t.Helper()
	if reply == nil {
		i.t.Fatal("no response")
	}
	m, err := Decode(reply)
	if err != nil {
		i.t.Fatal(err)
	}
	if m.MsgID != i.msgID || !m.IsResponse() {
		i.t.Fatalf("response header %+v, want message ID %d", m.Header, i.msgID)
	}
	sk, ok := find[*Encrypted](m.Payloads)
	if !ok {
		i.t.Fatal("response not encrypted")
	}
	pt, err := i.in.open(reply, sk)
	if err != nil {
		i.t.Fatal(err)
	}
	inner, err := decodeChain(sk.Inner, pt)
	if err != nil {
		i.t.Fatal(err)
	}
	i.msgID++
	return inner
}

// authPayloads builds an IKE_AUTH request asking for one IPv4 and one IPv6
// virtual IP and a tunnel to 10.1.0.0/16 and fec1::/64.
func (i *initiator) authPayloads(withCP bool) []Payload {
	idi := &ID{IDType: uint8(i.id.Type()), Data: i.id.Data()}
	i.espSPI = binary.BigEndian.Uint32(randBytes(4)) | 0xc0000000
	esp, err := ParseProposals(ProtoESP, []string{"aes128-sha256", "aes256gcm16"})
	if err != nil {
		i.t.Fatal(err)
	}
	for k := range esp {
		esp[k].Num = uint8(k + 1)
		esp[k].SPI = binary.BigEndian.AppendUint32(nil, i.espSPI)
	}
	ps := []Payload{idi,
		&ID{Responder: true, IDType: uint8(i.peerID.Type()), Data: i.peerID.Data()},
		&Auth{Method: AuthPSK, Data: pskAuth(i.prf(), i.psk, i.keys.pi, i.initReq, i.nr,
			idBody(idi))}}
	if withCP {
		ps = append(ps, &CP{CfgType: CfgRequest, Attrs: []CPAttr{
			{Type: AttrIP4Address}, {Type: AttrIP6Address}}})
	}
	return append(ps, &SA{Proposals: esp},
		&TS{Selectors: []Selector{anySel("0.0.0.0", "255.255.255.255"),
			anySel("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")}},
		&TS{Responder: true, Selectors: []Selector{anySel("10.1.0.0", "10.1.255.255"),
			anySel("fec1::", "fec1::ffff:ffff:ffff:ffff")}},
		&Notify{NType: NInitialContact})
}

func (i *initiator) prf() func() hash.Hash {
	h, _ := prfHash(i.st.prf)
	return h
}

func anySel(from, to string) Selector {
	return Selector{EndPort: 65535, Start: netip.MustParseAddr(from),
		End: netip.MustParseAddr(to)}
}

// verifyAuth checks the responder's AUTH payload.
func (i *initiator) verifyAuth(resp []Payload) error {
	idr, ok := findID(resp, true)
	auth, ok2 := find[*Auth](resp)
	if !ok || !ok2 {
		return fmt.Errorf("no IDr/AUTH in %s", describe(resp))
	}
	h, _ := prfHash(i.st.prf)
	want := pskAuth(h, i.psk, i.keys.pr, i.initResp, i.ni, idBody(idr))
	if !bytes.Equal(want, auth.Data) {
		return fmt.Errorf("responder AUTH does not verify")
	}
	return nil
}
