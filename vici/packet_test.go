package vici

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func TestPacketFrameGolden(t *testing.T) {
	pool := NewMessage().Set("base", "10.3.0.1").Set("size", "14").Set("online", "0").
		Set("offline", "0")
	tests := []struct {
		name string
		p    Packet
		want string
	}{
		{"CMD_REQUEST version", Packet{Type: CmdRequest, Name: "version", Message: NewMessage()},
			"00000009 00 07 76657273696f6e"},
		{"CMD_RESPONSE empty", Packet{Type: CmdResponse, Message: NewMessage()}, "00000001 01"},
		{"CMD_UNKNOWN", Packet{Type: CmdUnknown}, "00000001 02"},
		{"EVENT_REGISTER", Packet{Type: EventRegister, Name: "log"}, "00000005 03 03 6c6f67"},
		{"EVENT_UNREGISTER", Packet{Type: EventUnregister, Name: "log"}, "00000005 04 03 6c6f67"},
		{"EVENT_CONFIRM", Packet{Type: EventConfirm}, "00000001 05"},
		{"EVENT_UNKNOWN", Packet{Type: EventUnknown}, "00000001 06"},
		{"EVENT", Packet{Type: Event, Name: "log", Message: NewMessage().Set("msg", "hi")},
			"0000000e 07 03 6c6f67 03 03 6d7367 0002 6869"},
		{"get-pools reply",
			Packet{Type: CmdResponse, Message: NewMessage().SetSection("pool_a", pool)},
			"0000003b 01 01 06 706f6f6c5f61" +
				"03 04 62617365 0008 31302e332e302e31" +
				"03 04 73697a65 0002 3134" +
				"03 06 6f6e6c696e65 0001 30" +
				"03 07 6f66666c696e65 0001 30 02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.p.AppendFrame(nil)
			if err != nil {
				t.Fatal(err)
			}
			want := unhex(t, tt.want)
			if !bytes.Equal(got, want) {
				t.Fatalf("frame = % x\nwant    % x", got, want)
			}
			payload, err := ReadFrame(bytes.NewReader(got), MaxFrameSize)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParsePacket(payload, DecodeLimits{})
			if err != nil {
				t.Fatal(err)
			}
			if back.Type != tt.p.Type || back.Name != tt.p.Name {
				t.Fatalf("parsed %v %q, want %v %q", back.Type, back.Name, tt.p.Type, tt.p.Name)
			}
		})
	}
}

func TestReadFrameLimit(t *testing.T) {
	hdr := unhex(t, "00080001")
	if _, err := ReadFrame(bytes.NewReader(hdr), MaxFrameSize); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("frame of 512 KiB + 1: %v", err)
	}
}

func TestParsePacketErrors(t *testing.T) {
	for name, in := range map[string]string{
		"empty":         "",
		"type 8":        "08",
		"name overruns": "00 05 6162",
		"no name byte":  "03",
		"bad message":   "00 01 61 02",
	} {
		t.Run(name, func(t *testing.T) {
			if p, err := ParsePacket(unhex(t, in), DecodeLimits{}); err == nil {
				t.Fatalf("ParsePacket = %+v, want error", p)
			}
		})
	}
}

// FuzzFrames feeds a byte stream to the server's reading path: frames are
// read one after another, as from a socket, and each decoded packet must
// survive encoding and decoding unchanged.
func FuzzFrames(f *testing.F) {
	for _, s := range []string{
		"00000009 00 07 76657273696f6e",
		"00000001 02",
		"0000000c 03 0a 6c6973742d2d636f6e6e",
		"00000007 00 04 6563686f 03",
		"ffffffff",
		"00000000",
	} {
		f.Add(unhex(f, s))
	}
	const limit = 4096
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		for {
			payload, err := ReadFrame(r, limit)
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) &&
					!errors.Is(err, ErrFrameTooLarge) {
					t.Fatalf("unexpected read error: %v", err)
				}
				return
			}
			if len(payload) > limit {
				t.Fatalf("frame of %d bytes passed a limit of %d", len(payload), limit)
			}
			p, err := ParsePacket(payload, DecodeLimits{MaxDepth: 16, MaxElements: 1000})
			if err != nil {
				continue
			}
			frame, err := p.AppendFrame(nil)
			if err != nil {
				t.Fatalf("parsed packet does not encode: %v", err)
			}
			again, err := ReadFrame(bytes.NewReader(frame), len(frame))
			if err != nil {
				t.Fatalf("encoded frame does not read back: %v", err)
			}
			p2, err := ParsePacket(again, DecodeLimits{})
			if err != nil {
				t.Fatalf("encoded packet does not parse: %v", err)
			}
			frame2, _ := p2.AppendFrame(nil)
			if p2.Type != p.Type || p2.Name != p.Name || !bytes.Equal(frame, frame2) {
				t.Fatalf("packet changed: % x vs % x", frame, frame2)
			}
		}
	})
}
