package tests

import (
	"os"
	"strings"
	"testing"

	govici "github.com/strongswan/govici/vici"
)

const secondConn = `
connections {
   rw2 : connections.rw {
      local {
         auth = psk
         id = gw2.example.org
      }
   }
}
`

func TestLoadAllListAndReload(t *testing.T) {
	d := startDaemon(t, "")
	dir, file := copyExample(t)
	if err := os.WriteFile(file, append(mustRead(t, file), secondConn...), 0o644); err != nil {
		t.Fatal(err)
	}

	r := swanctl(t, "", "--load-all", "--file", file, "--uri", d.URI)
	if r.Code != 0 {
		t.Fatalf("load-all exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	expectLines(t, "load-all", r.Stdout,
		"loaded ike secret 'ike-rw'",
		"no authorities found, 0 unloaded",
		"loaded pool 'rw_pool_v4'",
		"loaded pool 'rw_pool_v6'",
		"successfully loaded 2 pools, 0 unloaded",
		"loaded connection 'rw'",
		"loaded connection 'rw2'",
		"successfully loaded 2 connections, 0 unloaded")
	var folders []string
	for _, l := range strings.Split(strings.TrimSpace(r.Stderr), "\n") {
		folders = append(folders, strings.TrimSuffix(strings.TrimPrefix(l,
			"opening directory '"+dir+"/"), "' failed: No such file or directory"))
	}
	if got := strings.Join(folders, " "); got !=
		"x509 x509ca x509ocsp x509aa x509ac x509crl pubkey private rsa ecdsa bliss pkcs8 pkcs12" {
		t.Fatalf("load-all stderr:\n%s", r.Stderr)
	}

	r = swanctl(t, "", "--list-pools", "--uri", d.URI)
	// charond reports a network-id CIDR's first assignable address as base,
	// as strongSwan 6.0 does (5.9.8 shows the network id).
	expectLines(t, "list-pools", r.Stdout,
		"rw_pool_v4           10.3.0.1                            0 / 0 / 254",
		"rw_pool_v6           fd00:3::1                           0 / 0 / 254")

	r = swanctl(t, "", "--list-conns", "--uri", d.URI)
	rw := []string{
		"rw: IKEv2, no reauthentication, rekeying every 14400s, dpd delay 30s",
		"  local:  192.0.2.1",
		"  remote: %any",
		"  local pre-shared key authentication:",
		"    id: gw.example.org",
		"  remote pre-shared key authentication:",
		"  net: TUNNEL, rekeying every 3600s, dpd action is none",
		"    local:  10.1.0.0/16 fd00:1::/64",
		"    remote: dynamic",
	}
	rw2 := append([]string{}, rw...)
	rw2[0] = strings.Replace(rw2[0], "rw:", "rw2:", 1)
	rw2[4] = "    id: gw2.example.org"
	expectLines(t, "list-conns", r.Stdout, append(rw, rw2...)...)

	// What a monitoring script sees through govici.
	type poolInfo struct {
		Base    string `vici:"base"`
		Size    uint32 `vici:"size"`
		Online  uint32 `vici:"online"`
		Offline uint32 `vici:"offline"`
	}
	s := d.session(t)
	out, err := s.Call(callCtx(t), "get-pools", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(out.Keys(), ","); got != "rw_pool_v4,rw_pool_v6" {
		t.Fatalf("get-pools keys = %s", got)
	}
	pools := map[string]poolInfo{}
	if err := govici.UnmarshalMessage(out, pools); err != nil {
		t.Fatal(err)
	}
	if p := pools["rw_pool_v6"]; p.Base != "fd00:3::1" || p.Size != 254 || p.Online != 0 {
		t.Fatalf("rw_pool_v6 = %+v", p)
	}

	// Remove a pool and a connection from the file and load again.
	trimmed := strings.Replace(string(mustRead(t, file)), secondConn, "", 1)
	trimmed = strings.Replace(trimmed, `   rw_pool_v6 {
      addrs = fd00:3::/120
      dns = fd00:1::53
   }
`, "", 1)
	if err := os.WriteFile(file, []byte(trimmed), 0o644); err != nil {
		t.Fatal(err)
	}
	r = swanctl(t, "", "--load-all", "--file", file, "--uri", d.URI)
	if r.Code != 0 {
		t.Fatalf("second load-all exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	expectLines(t, "second load-all", r.Stdout,
		"loaded ike secret 'ike-rw'",
		"no authorities found, 0 unloaded",
		"loaded pool 'rw_pool_v4'",
		"successfully loaded 1 pools, 1 unloaded",
		"loaded connection 'rw'",
		"successfully loaded 1 connections, 1 unloaded")
	out, err = s.Call(callCtx(t), "get-conns", nil)
	if err != nil {
		t.Fatal(err)
	}
	if conns := out.Get("conns"); strings.Join(conns.([]string), ",") != "rw" {
		t.Fatalf("conns = %v", conns)
	}
	out, err = s.Call(callCtx(t), "get-pools", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(out.Keys(), ","); got != "rw_pool_v4" {
		t.Fatalf("pools after reload = %s", got)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
