package ikeload

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charond/charond/vici"
)

// Config is one run: a gateway, a client daemon and how to drive them.
type Config struct {
	Gateway, Client string // Charond or StrongSwan
	CharondBin      string
	Clients         int // N identities, each connected once
	Concurrency     int // initiates in flight (0 means 1)
	// Timeout bounds each initiate and, times Clients, the whole run.
	Timeout time.Duration
	Dir     string // work folder; a temporary one when empty
}

// Result is what a run measured.
type Result struct {
	Gateway, Client string
	Clients         int
	Concurrency     int
	Failed          int           // initiates that failed
	FirstError      string        // the first failure's text
	Elapsed         time.Duration // first initiate sent to last one answered
	Online          int           // online leases the gateway reports at the end
	Connect         Latencies     // whole initiate: IKE_SA_INIT and IKE_AUTH
	Auth            Latencies     // IKE_AUTH request generated to CHILD_SA up
}

// LeasesPerSec is the rate of leases handed out.
func (r *Result) LeasesPerSec() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Online) / r.Elapsed.Seconds()
}

// Run sets up a lab, runs cfg in it and takes it down again.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if os.Geteuid() != 0 {
		return nil, errors.New("ikeload: network namespaces need root")
	}
	if cfg.Clients < 1 {
		return nil, errors.New("ikeload: no clients")
	}
	if cfg.Concurrency < 1 {
		cfg.Concurrency = 1
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	dir := cfg.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "ikeb-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	l, err := newLab(dir)
	if err != nil {
		return nil, err
	}
	defer l.close()
	gw, err := l.start(cfg.Gateway, "gw-"+cfg.Gateway, l.srv, "vsrv", cfg.CharondBin, false)
	if err != nil {
		return nil, err
	}
	defer gw.stop()
	cli, err := l.start(cfg.Client, "cli-"+cfg.Client, l.cli, "vcli", cfg.CharondBin, true)
	if err != nil {
		return nil, err
	}
	defer cli.stop()
	return drive(ctx, cfg, gw.sock, cli.sock)
}

// drive loads both daemons over VICI and initiates every client.
func drive(ctx context.Context, cfg Config, gwSock, cliSock string) (*Result, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute+
		time.Duration(cfg.Clients)*cfg.Timeout/time.Duration(cfg.Concurrency))
	defer cancel()
	gs, err := dial(gwSock)
	if err != nil {
		return nil, fmt.Errorf("ikeload: gateway: %w", err)
	}
	defer gs.Close()
	for _, c := range gatewayCommands() {
		if _, err := gs.call(c.name, build(vici.NewMessage(), c.msg), time.Minute); err != nil {
			return nil, fmt.Errorf("ikeload: gateway: %w", err)
		}
	}
	if err := loadClients(cliSock, cfg.Clients); err != nil {
		return nil, err
	}

	res := &Result{Gateway: cfg.Gateway, Client: cfg.Client, Clients: cfg.Clients,
		Concurrency: cfg.Concurrency}
	work := make(chan int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var connect, auth []time.Duration
	start := time.Now()
	for range cfg.Concurrency {
		s, err := dial(cliSock)
		if err != nil {
			close(work)
			wg.Wait()
			return nil, fmt.Errorf("ikeload: client: %w", err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.Close()
			for k := range work {
				c, a, err := initiate(s, k, cfg.Timeout)
				mu.Lock()
				if err != nil {
					res.Failed++
					if res.FirstError == "" {
						res.FirstError = fmt.Sprintf("user%d: %v", k, err)
					}
				} else {
					connect, auth = append(connect, c), append(auth, a)
				}
				mu.Unlock()
			}
		}()
	}
	for k := 1; k <= cfg.Clients && ctx.Err() == nil; k++ {
		work <- k
	}
	close(work)
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Connect, res.Auth = summarize(connect), summarize(auth)
	res.Online, err = onlineLeases(gs)
	return res, err
}

// loadClients loads the N client connections and the PSK.
func loadClients(sock string, n int) error {
	s, err := dial(sock)
	if err != nil {
		return fmt.Errorf("ikeload: client: %w", err)
	}
	defer s.Close()
	_, err = s.call("load-shared", build(vici.NewMessage(), sharedSecret()), time.Minute)
	for k := 1; k <= n && err == nil; k++ {
		_, err = s.call("load-conn", build(vici.NewMessage(), clientConn(k)), time.Minute)
	}
	if err != nil {
		return fmt.Errorf("ikeload: client: %w", err)
	}
	return nil
}

// initiate connects client k and returns the time of the whole initiate
// and of its IKE_AUTH exchange, dated by the control-log line that
// reports the IKE_AUTH request being generated.
func initiate(s *wire, k int, timeout time.Duration) (total, auth time.Duration, err error) {
	in := vici.NewMessage().Set("ike", fmt.Sprintf("user%d", k)).Set("child", "c").
		Set("timeout", fmt.Sprint(timeout.Milliseconds())).Set("loglevel", "1")
	start := time.Now()
	var authAt time.Time
	_, err = s.stream("initiate", "control-log", in, timeout+5*time.Second,
		func(m *vici.Message) {
			msg, _ := m.Get("msg")
			if authAt.IsZero() && strings.HasPrefix(msg, "generating IKE_AUTH request") {
				authAt = time.Now()
			}
		})
	end := time.Now()
	if err != nil {
		return 0, 0, err
	}
	if authAt.IsZero() {
		return 0, 0, errors.New("no IKE_AUTH request in the control log")
	}
	return end.Sub(start), end.Sub(authAt), nil
}

// onlineLeases counts the gateway's online leases.
func onlineLeases(s *wire) (int, error) {
	out, err := s.call("get-pools", vici.NewMessage(), time.Minute)
	if err != nil {
		return 0, fmt.Errorf("ikeload: %w", err)
	}
	p := out.Section("rw_pool")
	if p == nil {
		return 0, errors.New("ikeload: get-pools lacks rw_pool")
	}
	v, _ := p.Get("online")
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("ikeload: get-pools: online %q", v)
	}
	return n, nil
}
