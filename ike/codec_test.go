package ike

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
)

func readCapture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "strongswan-5.9.8", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecodeStrongSwan decodes what the real client sent and checks that
// re-encoding gives the very same bytes.
func TestDecodeStrongSwan(t *testing.T) {
	cases := []struct {
		file, payloads string
		exchange       ExchangeType
	}{
		{"init-x25519-req.bin", "SA KE No N(NAT_DETECTION_SOURCE_IP) " +
			"N(NAT_DETECTION_DESTINATION_IP) N(IKEV2_FRAGMENTATION_SUPPORTED) " +
			"N(SIGNATURE_HASH_ALGORITHMS) N(REDIRECT_SUPPORTED)", IKESAInit},
		{"init-invalid-ke-resp.bin", "N(INVALID_KE_PAYLOAD)", IKESAInit},
		{"init-ecp256-req.bin", "SA KE No N(NAT_DETECTION_SOURCE_IP) " +
			"N(NAT_DETECTION_DESTINATION_IP) N(IKEV2_FRAGMENTATION_SUPPORTED) " +
			"N(SIGNATURE_HASH_ALGORITHMS) N(REDIRECT_SUPPORTED)", IKESAInit},
		{"auth-req.bin", "SK", IKEAuth},
		{"delete-req.bin", "SK", Informational},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			raw := readCapture(t, c.file)
			m, err := Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(m.Payloads); got != c.payloads || m.Exchange != c.exchange {
				t.Errorf("got %v [%s], want %v [%s]", m.Exchange, got, c.exchange, c.payloads)
			}
			if re := Encode(m); !bytes.Equal(re, raw) {
				t.Errorf("re-encoded message differs:\n%x\n%x", re, raw)
			}
		})
	}
}

func TestDecodeStrongSwanProposals(t *testing.T) {
	m, err := Decode(readCapture(t, "init-ecp256-req.bin"))
	if err != nil {
		t.Fatal(err)
	}
	sa, _ := find[*SA](m.Payloads)
	ke, _ := find[*KE](m.Payloads)
	if len(sa.Proposals) != 2 || ke.Group != GroupECP256 || len(ke.Data) != 64 {
		t.Fatalf("%d proposals, KE group %d with %d bytes", len(sa.Proposals), ke.Group,
			len(ke.Data))
	}
	ours, _ := ParseProposals(ProtoIKE, []string{"aes256-sha256-ecp256"})
	sel, ok := SelectKE(ours, sa.Proposals, ke.Group)
	want := []Transform{{TransEncr, EncrAESCBC, 256, false}, {TransPRF, PRFHMACSHA256, 0, false},
		{TransInteg, IntegSHA256128, 0, false}, {TransDH, GroupECP256, 0, false}}
	if !ok || sel.Num != 1 || !equalTransforms(sel.Transforms, want) {
		t.Fatalf("selected %+v", sel)
	}
}

func equalTransforms(a, b []Transform) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPayloadRoundTrip(t *testing.T) {
	m := &Message{Header: Header{SPIi: 1, SPIr: 2, Exchange: IKEAuth, Flags: FlagResponse,
		MsgID: 7}, Payloads: []Payload{
		&SA{Proposals: []Proposal{{Num: 1, Protocol: ProtoESP, SPI: []byte{1, 2, 3, 4},
			Transforms: []Transform{{Type: TransEncr, ID: EncrAESCBC, KeyLen: 128},
				{Type: TransInteg, ID: IntegSHA256128}, {Type: TransESN}}}}},
		&ID{Responder: true, IDType: 2, Data: []byte("moon")},
		&Auth{Method: AuthPSK, Data: []byte{9, 9}},
		&CP{CfgType: CfgReply, Attrs: []CPAttr{{Type: AttrIP4Address, Value: []byte{10, 3, 0, 1}}}},
		&TS{Selectors: []Selector{anySel("10.3.0.1", "10.3.0.1"),
			{Proto: 6, StartPort: 80, EndPort: 80, Start: netip.MustParseAddr("fec1::"),
				End: netip.MustParseAddr("fec1::ff")}}},
		&Delete{Protocol: ProtoESP, SPISize: 4, SPIs: [][]byte{{1, 2, 3, 4}, {5, 6, 7, 8}}},
		&Notify{Protocol: ProtoESP, SPI: []byte{1, 2, 3, 4}, NType: NCookie, Data: []byte{1}},
		&Vendor{Data: []byte("v")},
		&KE{Group: 31, Data: make([]byte, 32)},
		&Nonce{Data: make([]byte, 16)},
	}}
	b := Encode(m)
	m2, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if describe(m2.Payloads) != describe(m.Payloads) || !bytes.Equal(Encode(m2), b) {
		t.Fatalf("round trip changed the message: %s", describe(m2.Payloads))
	}
	ts := m2.Payloads[4].(*TS)
	if ts.Selectors[1].String() != "fec1::/120[6/80-80]" {
		t.Errorf("selector %s", ts.Selectors[1])
	}
}

// TestTruncated cuts a real message at every length (fixing the header's
// length field) and expects errors, never a panic or a success.
func TestTruncated(t *testing.T) {
	raw := readCapture(t, "init-ecp256-req.bin")
	for n := 0; n < len(raw); n++ {
		b := append([]byte(nil), raw[:n]...)
		if n >= HeaderLen {
			binary.BigEndian.PutUint32(b[24:], uint32(n))
		}
		if _, err := Decode(b); err == nil {
			t.Fatalf("message cut to %d bytes decoded", n)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	raw := readCapture(t, "init-ecp256-req.bin")
	mod := func(f func(b []byte)) []byte {
		b := append([]byte(nil), raw...)
		f(b)
		return b
	}
	cases := []struct {
		name string
		b    []byte
		err  error
	}{
		{"version 1", mod(func(b []byte) { b[17] = 0x10 }), ErrVersion},
		{"length too long", mod(func(b []byte) { b[27]++ }), ErrShort},
		{"payload length past end", mod(func(b []byte) { b[30] = 0xff }), ErrShort},
		{"trailing data", append(append([]byte(nil), raw...), 0), ErrShort},
		{"unknown critical payload", mod(func(b []byte) { b[16] = 99; b[29] = 0x80 }),
			ErrCritical},
	}
	for _, c := range cases {
		if _, err := Decode(c.b); !errors.Is(err, c.err) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.err)
		}
	}
	// An unknown payload without the critical bit is skipped, not refused.
	b := mod(func(b []byte) { b[16] = 99 })
	if m, err := Decode(b); err != nil || m.Payloads[0].Type() != 99 {
		t.Errorf("unknown non-critical payload: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	for _, name := range []string{"init-x25519-req.bin", "init-ecp256-req.bin",
		"auth-req.bin", "delete-req.bin", "init-invalid-ke-resp.bin"} {
		f.Add(readCapture(f, name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			return
		}
		// What decodes must encode to something that decodes to the same.
		enc := Encode(m)
		m2, err := Decode(enc)
		if err != nil {
			t.Fatalf("re-encoded message does not decode: %v", err)
		}
		if !bytes.Equal(Encode(m2), enc) {
			t.Fatal("encoding is not stable")
		}
	})
}
