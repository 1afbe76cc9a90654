package tests

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	govici "github.com/strongswan/govici/vici"
)

// lease and poolInfo are written the way exporters write get-pools structs.
type lease struct {
	Address  string `vici:"address"`
	Identity string `vici:"identity"`
	Status   string `vici:"status"`
}

type poolInfo struct {
	Base    string           `vici:"base"`
	Size    uint32           `vici:"size"`
	Online  uint32           `vici:"online"`
	Offline uint32           `vici:"offline"`
	Leases  map[string]lease `vici:"leases"`
}

type counters struct {
	IKEInitInReq uint64 `vici:"ike-init-in-req"`
	Invalid      uint64 `vici:"invalid"`
}

// TestGoviciCallAndMarshal loads a pool from a marshalled struct, reads it
// back into structs, and reads get-counters and a failure reply.
func TestGoviciCallAndMarshal(t *testing.T) {
	d := startDaemon(t, "")
	s := d.session(t)
	ctx := callCtx(t)
	in, err := govici.MarshalMessage(map[string]any{
		"p1": struct {
			Addrs string   `vici:"addrs"`
			DNS   []string `vici:"dns"`
		}{"10.9.0.1-10.9.0.9", []string{"10.1.0.53"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Call(ctx, "load-pool", in); err != nil {
		t.Fatal(err)
	}
	req, _ := govici.MarshalMessage(struct {
		Leases bool `vici:"leases"`
	}{true})
	out, err := s.Call(ctx, "get-pools", req)
	if err != nil {
		t.Fatal(err)
	}
	pools := map[string]poolInfo{}
	if err := govici.UnmarshalMessage(out, pools); err != nil {
		t.Fatal(err)
	}
	if p := pools["p1"]; p.Base != "10.9.0.1" || p.Size != 9 || len(pools) != 1 {
		t.Fatalf("get-pools unmarshalled to %+v", pools)
	}

	out, err = s.Call(ctx, "get-counters", nil)
	if err != nil {
		t.Fatal(err)
	}
	var reply struct {
		Counters map[string]counters `vici:"counters"`
		Success  bool                `vici:"success"`
	}
	if err := govici.UnmarshalMessage(out, &reply); err != nil {
		t.Fatal(err)
	}
	if _, ok := reply.Counters[""]; !ok || !reply.Success || len(reply.Counters) != 1 {
		t.Fatalf("get-counters unmarshalled to %+v", reply)
	}

	out, err = s.Call(ctx, "unload-authority", nil)
	if err == nil || out.Get("errmsg") != "unload: missing authority name" {
		t.Fatalf("unload-authority: %v, %v", out, err)
	}
	if _, err = s.Call(ctx, "no-such-command", nil); err == nil {
		t.Fatal("unknown command answered as known")
	}
	// the session still pairs replies with requests after both
	if out, err = s.Call(ctx, "get-authorities", nil); err != nil ||
		len(out.Get("authorities").([]string)) != 0 {
		t.Fatalf("get-authorities: %v, %v", out, err)
	}
}

// TestGoviciCallStreaming lists certificates with CallStreaming, a fresh
// session per stream as govici v0.8.0 needs (it can drop trailing events).
func TestGoviciCallStreaming(t *testing.T) {
	d := startDaemon(t, "")
	ca, leaf, _ := credMaterial(t)
	s := d.session(t)
	for _, c := range []struct{ typ, data string }{{"x509ca", ca}, {"x509", leaf}} {
		in := govici.NewMessage()
		_ = in.Set("type", c.typ)
		_ = in.Set("data", c.data)
		if _, err := s.Call(callCtx(t), "load-cert", in); err != nil {
			t.Fatal(err)
		}
	}
	auth := govici.NewMessage()
	a := govici.NewMessage()
	_ = a.Set("cacert", ca)
	_ = auth.Set("ca", a)
	if _, err := s.Call(callCtx(t), "load-authority", auth); err != nil {
		t.Fatal(err)
	}
	// govici v0.8.0 may end a stream before its last events (it picks the
	// final reply and pending events in random order), so every stream must
	// be a correct prefix of the listing, and some of many runs complete.
	stream := func(cmd, event string, want ...string) {
		t.Helper()
		complete := false
		for range 50 {
			fresh := d.session(t)
			var got []string
			for ev, err := range fresh.CallStreaming(callCtx(t), cmd, event, nil) {
				if err != nil {
					t.Fatalf("%s: %v", cmd, err)
				}
				got = append(got, streamKey(ev))
			}
			fresh.Close()
			if len(got) > len(want) || strings.Join(got, "|") !=
				strings.Join(want[:len(got)], "|") {
				t.Fatalf("%s streamed %v, want a prefix of %v", cmd, got, want)
			}
			complete = complete || len(got) == len(want)
		}
		if !complete {
			t.Fatalf("%s: no complete stream in 50 runs", cmd)
		}
	}
	stream("list-certs", "list-cert", "X509/NONE", "X509/CA")
	stream("list-authorities", "list-authority", "ca")
	stream("list-sas", "list-sa")
}

// streamKey names a streamed event by what the test checks: a
// certificate's type and flag, or the sections of other events.
func streamKey(m *govici.Message) string {
	if t := m.Get("type"); t != nil {
		return fmt.Sprintf("%v/%v", t, m.Get("flag"))
	}
	return strings.Join(m.Keys(), ",")
}

// TestGoviciSubscribe registers for events with Subscribe and reads the
// log records of a command from a NotifyEvents channel.
func TestGoviciSubscribe(t *testing.T) {
	d := startDaemon(t, "")
	sub := d.session(t)
	ch := make(chan govici.Event, 64)
	sub.NotifyEvents(ch)
	if err := sub.Subscribe("log", "ike-updown", "child-updown", "ike-rekey",
		"child-rekey", "ike-update", "control-log"); err != nil {
		t.Fatal(err)
	}
	if err := sub.Subscribe("alert"); err == nil {
		t.Fatal("5.9.8 has no alert event, but registering it succeeded")
	}
	_, leaf, _ := credMaterial(t)
	in := govici.NewMessage()
	_ = in.Set("type", "x509")
	_ = in.Set("data", leaf)
	if _, err := d.session(t).Call(callCtx(t), "load-cert", in); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev := <-ch:
			if ev.Name == "log" && ev.Message.Get("group") != nil &&
				fmt.Sprint(ev.Message.Get("msg")) != "" {
				return
			}
		case <-deadline:
			t.Fatal("no log event for load-cert")
		}
	}
}

// TestGoviciConcurrentSessions runs many sessions at once, each loading
// and unloading its own key and authority; every reply must belong to its
// request.
func TestGoviciConcurrentSessions(t *testing.T) {
	d := startDaemon(t, "")
	ca, _, key := credMaterial(t)
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- sessionWork(d.Path, i, ca, key)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	s := d.session(t)
	out, err := s.Call(callCtx(t), "get-authorities", nil)
	if err != nil || len(out.Get("authorities").([]string)) != 0 {
		t.Fatalf("authorities left: %v, %v", out, err)
	}
}

func sessionWork(path string, i int, ca, key string) error {
	s, err := dialRetry(path)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	name := fmt.Sprintf("ca%d", i)
	for range 10 {
		a, in := govici.NewMessage(), govici.NewMessage()
		_ = a.Set("cacert", ca)
		_ = in.Set(name, a)
		if _, err := s.Call(ctx, "load-authority", in); err != nil {
			return fmt.Errorf("%s: load-authority: %w", name, err)
		}
		k := govici.NewMessage()
		_ = k.Set("type", "rsa")
		_ = k.Set("data", key)
		out, err := s.Call(ctx, "load-key", k)
		if err != nil || out.Get("id") == nil {
			return fmt.Errorf("%s: load-key: %v %w", name, out, err)
		}
		u := govici.NewMessage()
		_ = u.Set("name", name)
		if _, err := s.Call(ctx, "unload-authority", u); err != nil {
			return fmt.Errorf("%s: unload-authority: %w", name, err)
		}
		out, err = s.Call(ctx, "get-counters", nil)
		if err != nil || out.Get("counters") == nil {
			return fmt.Errorf("%s: get-counters: %v %w", name, out, err)
		}
	}
	return nil
}
