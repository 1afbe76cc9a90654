package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/strongswan/govici/vici"
)

// maxDialTries bounds the retries of one refused connection.
const maxDialTries = 1000

// session opens a govici session, retrying a refused connect (a full
// listen backlog) and counting the refusals.
func session(sock string, refused *atomic.Int64) (*vici.Session, error) {
	dial := func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		for range maxDialTries {
			c, err := d.DialContext(ctx, "unix", sock)
			if err == nil {
				return c, nil
			}
			if !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.ECONNREFUSED) {
				return nil, err
			}
			refused.Add(1)
			time.Sleep(time.Millisecond)
		}
		return nil, fmt.Errorf("connecting to %s: refused %d times", sock, maxDialTries)
	}
	return vici.NewSession(vici.WithDialContext(dial))
}

// getPools times calls get-pools requests over one session.
func getPools(sock string, calls int, leases bool) (time.Duration, error) {
	var refused atomic.Int64
	s, err := session(sock, &refused)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	var req *vici.Message
	if leases {
		req = vici.NewMessage()
		if err := req.Set("leases", "yes"); err != nil {
			return 0, err
		}
	}
	ctx := context.Background()
	t0 := time.Now()
	for range calls {
		m, err := s.Call(ctx, "get-pools", req)
		if err != nil {
			return 0, err
		}
		if len(m.Keys()) == 0 {
			return 0, errors.New("get-pools: no pools in the reply")
		}
	}
	return time.Since(t0), nil
}

// versionRate runs version round trips over n sessions, all connected
// together as a burst, for at most d or maxCalls calls per session. It
// returns round trips per second and the refused connects.
func versionRate(sock string, n int, d time.Duration, maxCalls int) (float64, int64, error) {
	var refused atomic.Int64
	sessions := make([]*vici.Session, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sessions[i], errs[i] = session(sock, &refused)
		}()
	}
	wg.Wait()
	defer func() {
		for _, s := range sessions {
			if s != nil {
				s.Close()
			}
		}
	}()
	if err := errors.Join(errs...); err != nil {
		return 0, refused.Load(), err
	}
	var total atomic.Int64
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	t0 := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := 0; c < maxCalls && ctx.Err() == nil; c++ {
				if _, err := sessions[i].Call(context.Background(), "version", nil); err != nil {
					errs[i] = err
					return
				}
				total.Add(1)
			}
		}()
	}
	wg.Wait()
	el := time.Since(t0)
	if err := errors.Join(errs...); err != nil {
		return 0, refused.Load(), err
	}
	return float64(total.Load()) / el.Seconds(), refused.Load(), nil
}
