package ike

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/binary"
	"testing"
)

// rekeyIKE rekeys the IKE_SA of i with a CREATE_CHILD_SA over it and
// returns the error notify, or the initiator of the new IKE_SA, whose keys
// it derives by RFC 7296 section 2.18 on its own.
func (i *initiator) rekeyIKE(props string, group uint16) (*initiator, NotifyType) {
	i.t.Helper()
	ps, err := ParseProposals(ProtoIKE, []string{props})
	if err != nil {
		i.t.Fatal(err)
	}
	spii := binary.BigEndian.Uint64(randBytes(8))
	for k := range ps {
		ps[k].Num, ps[k].SPI = uint8(k+1), binary.BigEndian.AppendUint64(nil, spii)
	}
	ni := randBytes(32)
	kex, err := newKeyExchange(group, rand.Reader)
	if err != nil {
		i.t.Fatal(err)
	}
	resp := i.exchange(CreateChildSA, []Payload{&SA{Proposals: ps}, &Nonce{Data: ni},
		&KE{Group: group, Data: kex.Public()}})
	if n, ok := find[*Notify](resp); ok && n.NType.IsError() {
		if n.NType == NInvalidKEPayload {
			i.group = binary.BigEndian.Uint16(n.Data)
		}
		return nil, n.NType
	}
	sap, ok1 := find[*SA](resp)
	nr, ok2 := find[*Nonce](resp)
	ke, ok3 := find[*KE](resp)
	if !ok1 || !ok2 || !ok3 || len(sap.Proposals) != 1 || len(sap.Proposals[0].SPI) != 8 {
		i.t.Fatalf("IKE rekey response %s", describe(resp))
	}
	shared, err := kex.Shared(ke.Data)
	if err != nil {
		i.t.Fatal(err)
	}
	st, err := suiteOf(sap.Proposals[0])
	if err != nil {
		i.t.Fatal(err)
	}
	n := *i
	n.st, n.spii, n.spir = st, spii, binary.BigEndian.Uint64(sap.Proposals[0].SPI)
	n.ni, n.nr, n.msgID = ni, nr.Data, 0
	// SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) with the old PRF.
	mac := hmac.New(i.prf(), i.keys.d)
	mac.Write(shared)
	mac.Write(ni)
	mac.Write(nr.Data)
	skeyseed := mac.Sum(nil)
	// {SK_d | SK_ai | SK_ar | SK_ei | SK_er | ...} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
	seed := append(append([]byte{}, ni...), nr.Data...)
	seed = binary.BigEndian.AppendUint64(seed, spii)
	seed = binary.BigEndian.AppendUint64(seed, n.spir)
	var km, t []byte
	h := n.prf()
	for c := byte(1); len(km) < 3*h().Size()+2*st.integKey()+2*st.encKey; c++ {
		mac := hmac.New(h, skeyseed)
		mac.Write(t)
		mac.Write(seed)
		mac.Write([]byte{c})
		t = mac.Sum(nil)
		km = append(km, t...)
	}
	take := func(l int) []byte { k := km[:l:l]; km = km[l:]; return k }
	n.keys.d, n.keys.ai, n.keys.ar = take(h().Size()), take(st.integKey()), take(st.integKey())
	n.keys.ei, n.keys.er = take(st.encKey), take(st.encKey)
	if n.out, err = newCipherSuite(st, n.keys.ei, n.keys.ai); err != nil {
		i.t.Fatal(err)
	}
	if n.in, err = newCipherSuite(st, n.keys.er, n.keys.ar); err != nil {
		i.t.Fatal(err)
	}
	return &n, 0
}

// ikeEventLog records IKE events.
type ikeEventLog struct {
	updown, rekeys int
	counts         map[string]int
}

func (l *ikeEventLog) IKEUpDown(SAInfo, bool)            { l.updown++ }
func (l *ikeEventLog) ChildUpDown(SAInfo, ChildSA, bool) {}
func (l *ikeEventLog) Count(_, c string)                 { l.counts[c]++ }
func (l *ikeEventLog) IKERekey(old, n SAInfo)            { l.rekeys++ }

func TestRekeyIKE(t *testing.T) {
	ev := &ikeEventLog{counts: map[string]int{}}
	e := newTestEnv(Options{Events: ev},
		gatewayPeer("aes128-sha256-x25519", "aes256-sha384-ecp256"))
	i, _ := handshake(t, e, "aes128-sha256-x25519", GroupCurve25519)
	createChild(t, i, "aes128-sha256", 0, 0)
	before := e.srv.SAs()
	if len(before) != 1 || len(before[0].Children) != 2 {
		t.Fatalf("before rekey: %+v", before)
	}

	// A group other than the selected proposal's is refused with the wanted one.
	if _, nt := i.rekeyIKE("aes256-sha384-ecp256", GroupCurve25519); nt != NInvalidKEPayload ||
		i.group != GroupECP256 {
		t.Fatalf("KE of the wrong group answered with %v, group %d", nt, i.group)
	}
	if _, nt := i.rekeyIKE("aes256gcm16-prfsha512-ecp384", GroupECP384); nt !=
		NNoProposalChosen {
		t.Fatalf("unacceptable proposal answered with %v", nt)
	}
	// A different PRF than the old one: SKEYSEED' uses the old PRF.
	n, nt := i.rekeyIKE("aes256-sha384-ecp256", GroupECP256)
	if nt != 0 {
		t.Fatalf("rekey refused with %v", nt)
	}
	after := e.srv.SAs()
	if len(after) != 1 || after[0].SPIi != n.spii || after[0].SPIr != n.spir ||
		after[0].Unique == before[0].Unique || len(after[0].Children) != 2 ||
		sprint(after[0].RemoteVIPs) != "[10.3.0.1 fec3::1]" ||
		after[0].RemoteID != before[0].RemoteID || after[0].Algs.PRF != PRFHMACSHA384 {
		t.Fatalf("after rekey: %+v", after)
	}
	if ev.rekeys != 1 || ev.counts["ike-rekey-resp"] != 1 || ev.updown != 1 {
		t.Errorf("events: %d rekeys, %v, %d updown", ev.rekeys, ev.counts, ev.updown)
	}
	// Both sides derived the same keys: a liveness check over the new SA.
	if r := n.exchange(Informational, nil); len(r) != 0 {
		t.Fatalf("liveness over the new IKE_SA answered with %s", describe(r))
	}
	// The old IKE_SA takes no more CHILD_SAs.
	r, _ := createChild(t, i, "aes128-sha256", 0, 0)
	if _, ok := findNotify(r, NTemporaryFailure); !ok {
		t.Fatalf("CREATE_CHILD_SA on the rekeyed IKE_SA answered with %s", describe(r))
	}
	// Deleting the old IKE_SA keeps the lease and the CHILD_SAs.
	if r := i.exchange(Informational, []Payload{&Delete{Protocol: ProtoIKE}}); len(r) != 0 {
		t.Fatalf("delete of the old IKE_SA answered with %s", describe(r))
	}
	if len(e.dp.removed) != 0 || len(e.pool.released) != 0 || len(e.pool.online) != 2 ||
		ev.updown != 1 {
		t.Fatalf("old IKE_SA's delete removed %d children, released %v, updown %d",
			len(e.dp.removed), e.pool.released, ev.updown)
	}
	if total, _ := e.srv.Counts(); total != 1 {
		t.Fatalf("%d IKE_SAs after the old one went, want 1", total)
	}
	// The new IKE_SA can be rekeyed in turn, then the newest one deleted.
	n2, nt := n.rekeyIKE("aes128-sha256-x25519", GroupCurve25519)
	if nt != 0 {
		t.Fatalf("second rekey refused with %v", nt)
	}
	if r := n2.exchange(Informational, nil); len(r) != 0 {
		t.Fatalf("liveness after the second rekey: %s", describe(r))
	}
	// Deleting the new IKE_SA first also drops the old, never deleted one.
	if r := n2.exchange(Informational, []Payload{&Delete{Protocol: ProtoIKE}}); len(r) != 0 {
		t.Fatalf("delete of the new IKE_SA answered with %s", describe(r))
	}
	if len(e.dp.removed) != 2 || sprint(e.pool.released) != "[10.3.0.1 fec3::1]" ||
		len(e.pool.online) != 0 || ev.updown != 2 {
		t.Fatalf("new IKE_SA's delete removed %d children, released %v, updown %d",
			len(e.dp.removed), e.pool.released, ev.updown)
	}
	if total, _ := e.srv.Counts(); total != 0 {
		t.Fatalf("%d IKE_SAs left", total)
	}
}
