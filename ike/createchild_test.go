package ike

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"testing"
)

// createChild sends a CREATE_CHILD_SA request for a tunnel like the one of
// IKE_AUTH, with a key exchange in group (0 for none), rekeying rekey (0 for
// a new CHILD_SA). It returns the response payloads and the keys the
// initiator derives from them.
func createChild(t *testing.T, i *initiator, espProp string, group uint16,
	rekey uint32) ([]Payload, childKeys) {
	t.Helper()
	auth := i.authPayloads(false) // reused for SA, TSi and TSr
	sap := auth[3].(*SA)
	esp, err := ParseProposals(ProtoESP, []string{espProp})
	if err != nil {
		t.Fatal(err)
	}
	esp[0].Num, esp[0].SPI = 1, sap.Proposals[0].SPI
	ni := randBytes(32)
	req := []Payload{&SA{Proposals: esp}, &Nonce{Data: ni}}
	var kex keyExchange
	if group != 0 {
		kex, _ = newKeyExchange(group, rand.Reader)
		req = append(req, &KE{Group: group, Data: kex.Public()})
	}
	req = append(req, auth[4], auth[5])
	if rekey != 0 {
		req = append(req, &Notify{Protocol: ProtoESP, NType: NRekeySA,
			SPI: binary.BigEndian.AppendUint32(nil, rekey)})
	}
	resp := i.exchange(CreateChildSA, req)
	sa, ok := find[*SA](resp)
	nr, ok2 := find[*Nonce](resp)
	if !ok || !ok2 {
		return resp, childKeys{}
	}
	var shared []byte
	if ke, ok := find[*KE](resp); ok && kex != nil {
		if shared, err = kex.Shared(ke.Data); err != nil {
			t.Fatal(err)
		}
	}
	st, err := suiteOf(sa.Proposals[0])
	if err != nil {
		t.Fatal(err)
	}
	return resp, deriveChild(i.st, i.keys.d, st, shared, ni, nr.Data)
}

func TestCreateChildSA(t *testing.T) {
	peer := gatewayPeer()
	pfs, _ := ParseProposals(ProtoESP, []string{"aes256gcm16-ecp256", "aes128-sha256"})
	peer.Children[0].Proposals = pfs
	e := newTestEnv(Options{}, peer)
	i, _ := handshake(t, e, "aes128-sha256-x25519", GroupCurve25519)
	first := e.dp.installed[0]

	resp, k := createChild(t, i, "aes128-sha256", 0, 0)
	if got := describe(resp); got != "SA No TSi TSr" || len(e.dp.installed) != 2 {
		t.Fatalf("new CHILD_SA: %s, %d installed", got, len(e.dp.installed))
	}
	c := e.dp.installed[1]
	if !bytes.Equal(c.EncrIn, k.ei) || !bytes.Equal(c.IntegOut, k.ar) {
		t.Error("keys of the new CHILD_SA differ")
	}

	resp, k = createChild(t, i, "aes256gcm16-x25519-ecp256", GroupECP256, first.SPIOut)
	if got := describe(resp); got != "SA No KE TSi TSr" || len(e.dp.installed) != 3 {
		t.Fatalf("rekey with PFS: %s, %d installed", got, len(e.dp.installed))
	}
	c = e.dp.installed[2]
	if !bytes.Equal(c.EncrIn, k.ei) || !bytes.Equal(c.EncrOut, k.er) || c.Integ != 0 {
		t.Error("keys of the rekeyed CHILD_SA differ")
	}

	resp, _ = createChild(t, i, "aes256gcm16-x25519-ecp256", GroupCurve25519, 0)
	if n, ok := findNotify(resp, NInvalidKEPayload); !ok ||
		binary.BigEndian.Uint16(n.Data) != GroupECP256 {
		t.Fatalf("KE in the wrong group answered with %s", describe(resp))
	}
	resp, _ = createChild(t, i, "aes128-sha256", 0, 0x12345678)
	if _, ok := findNotify(resp, NChildSANotFound); !ok {
		t.Fatalf("rekey of an unknown SPI answered with %s", describe(resp))
	}
	if len(e.dp.installed) != 3 {
		t.Fatalf("refused requests installed CHILD_SAs: %d", len(e.dp.installed))
	}
	ikeRekey, _ := ParseProposals(ProtoIKE, []string{"aes128-sha256-x25519"})
	r := i.exchange(CreateChildSA, []Payload{&SA{Proposals: ikeRekey},
		&Nonce{Data: randBytes(32)}})
	if _, ok := findNotify(r, NInvalidSyntax); !ok {
		t.Fatalf("IKE_SA rekey without KE answered with %s", describe(r))
	}
}
