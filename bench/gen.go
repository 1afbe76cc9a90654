package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// writeConf writes a swanctl.conf of n road-warrior connections and the
// given number of pools, each connection drawing from one pool, and the
// empty credential folders both swanctls look for beside it.
func writeConf(dir string, n, pools int) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for _, sub := range []string{"x509", "x509ca", "x509aa", "x509ocsp", "x509ac",
		"x509crl", "pubkey", "private", "rsa", "ecdsa", "bliss", "pkcs8", "pkcs12"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return "", err
		}
	}
	path := filepath.Join(dir, "swanctl.conf")
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriter(f)
	if n > 0 {
		fmt.Fprintln(w, "connections {")
		for i := range n {
			fmt.Fprintf(w, `  rw%05d {
    version = 2
    local_addrs = 192.0.2.1
    remote_addrs = 198.51.%d.%d
    proposals = aes128-sha256-x25519, aes256gcm16-prfsha384-ecp384
    pools = pool%03d
    dpd_delay = 30s
    local {
      auth = psk
      id = gw.example.org
    }
    remote {
      auth = psk
      id = client%05d@example.org
    }
    children {
      net {
        local_ts = 10.1.0.0/16, fec1::/64
        esp_proposals = aes128gcm16, aes128-sha256
        dpd_action = clear
      }
    }
  }
`, i, 100+i/250, 1+i%250, i%pools, i)
		}
		fmt.Fprintln(w, "}")
	}
	if pools > 0 {
		fmt.Fprintln(w, "pools {")
		for i := range pools {
			fmt.Fprintf(w, "  pool%03d {\n    addrs = 10.%d.%d.0/24\n    dns = 10.1.0.53\n  }\n",
				i, 3+i/250, i%250)
		}
		fmt.Fprintln(w, "}")
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}
