package ikeload

import (
	"fmt"
	"strconv"
)

// Daemon kinds.
const (
	Charond    = "charond"
	StrongSwan = "strongswan"
)

// Addresses and names of the lab.
const (
	GatewayAddr = "192.0.2.1"
	ClientAddr  = "192.0.2.2"
	GatewayID   = "moon.example.org"
	// CharonBin is Debian's charon.
	CharonBin = "/usr/lib/ipsec/charon"
	psk       = "load-test-psk-0123456789"
	proposal  = "aes128-sha256-x25519"
	esp       = "aes128-sha256"
	poolAddrs = "10.3.0.0/16"
)

// charonPlugins are local plugins only (never resolve). The kernel may lack
// ESP, so charon runs ESP in userspace (kernel-libipsec).
const charonPlugins = "random nonce aes sha1 sha2 md5 hmac gmp curve25519 x509 pubkey " +
	"pem pkcs1 pkcs8 constraints kdf kernel-libipsec kernel-netlink socket-default vici " +
	"counters openssl"

// charonConf logs at level 1 to a file, the lab's fair setting for timing.
// A charon client installs its VIPs: kernel-libipsec routes from them
// whatever install_routes says. It installs no routes to the gateway.
func charonConf(sock, log, iface string, client bool) string {
	return fmt.Sprintf(`charon {
  load_modular = no
  load = %s
  interfaces_use = %s
  install_routes = %s
  retransmit_tries = 2
  retransmit_timeout = 2.0
  plugins {
    vici {
      socket = unix://%s
    }
    kernel-libipsec {
      allow_peer_ts = yes
    }
  }
  filelog {
    bench {
      path = %s
      default = 1
    }
  }
  syslog {
    daemon {
      default = -1
    }
  }
}
`, charonPlugins, iface, yesNo(!client), sock, log)
}

// A charond client installs no VIPs; each gateway is measured with the
// same client, so only the ratio of gateways carries over.
func charondConf(sock, resolv string, client bool) string {
	return fmt.Sprintf(`charon {
  install_virtual_ip = %s
  retransmit_tries = 2
  retransmit_timeout = 2.0
  plugins {
    vici {
      socket = unix://%s
    }
    resolve {
      file = %s
    }
  }
}
charond {
  ike = yes
  dataplane = none
}
`, yesNo(!client), sock, resolv)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Identity is the IKE identity of client k (from 1).
func Identity(k int) string { return "user" + strconv.Itoa(k) + "@example.org" }

// gatewayCommands are the VICI commands that set up the gateway: one
// connection for every road warrior, a pool with a DNS server and one PSK
// for the gateway and any peer.
func gatewayCommands() []command {
	conn := map[string]any{"rw": map[string]any{
		"version": "2", "local_addrs": []string{GatewayAddr}, "proposals": []string{proposal},
		"pools":  []string{"rw_pool"},
		"local":  map[string]any{"auth": "psk", "id": GatewayID},
		"remote": map[string]any{"auth": "psk"},
		"children": map[string]any{"net": map[string]any{
			"local_ts": []string{"10.1.0.0/16"}, "esp_proposals": []string{esp}}},
	}}
	pool := map[string]any{"rw_pool": map[string]any{"addrs": poolAddrs,
		"dns": []string{"10.1.0.20"}}}
	return []command{{"load-conn", conn}, {"load-pool", pool},
		{"load-shared", sharedSecret()}}
}

// command is a VICI command and its message as nested maps.
type command struct {
	name string
	msg  map[string]any
}

func sharedSecret() map[string]any {
	return map[string]any{"type": "IKE", "data": psk,
		"owners": []string{GatewayID, "%any"}}
}

// clientConn is the connection "userK" of client k, asking for one IPv4
// virtual IP.
func clientConn(k int) map[string]any {
	name := "user" + strconv.Itoa(k)
	return map[string]any{name: map[string]any{
		"version": "2", "remote_addrs": []string{GatewayAddr},
		"proposals": []string{proposal}, "vips": []string{"0.0.0.0"},
		"local":  map[string]any{"auth": "psk", "id": Identity(k)},
		"remote": map[string]any{"auth": "psk", "id": GatewayID},
		"children": map[string]any{"c": map[string]any{
			"remote_ts": []string{"10.1.0.0/16"}, "esp_proposals": []string{esp}}},
	}}
}
