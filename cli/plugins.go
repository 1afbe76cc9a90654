package cli

import (
	"fmt"
	"io"
	"strings"
)

// debianPlugins are the plugins Debian's strongSwan 5.9.8 packages ship, so
// the ones its swanctl can load; a name in swanctl.load outside this set is
// reported at start and left out of "loaded plugins:".
var debianPlugins = setOf("addrblock aes aesni agent attr bypass-lan certexpire " +
	"connmark constraints counters dhcp dnskey drbg eap-aka eap-gtc eap-identity " +
	"eap-md5 eap-mschapv2 eap-radius eap-tls eap-tnc eap-ttls error-notify farp " +
	"fips-prf forecast gcm gmp ha hmac kdf kernel-libipsec kernel-netlink led " +
	"lookip md5 mgf1 nonce openssl pem pgp pkcs1 pkcs12 pkcs7 pkcs8 pubkey random " +
	"rc2 resolve revocation sha1 sha2 socket-default sshkey stroke tnc-tnccs unity " +
	"updown vici x509 xauth-eap xauth-generic xauth-pam xcbc")

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// availablePlugins splits a swanctl.load value into the plugins that load
// and the names that do not.
func availablePlugins(load string) (loaded, missing []string) {
	for _, name := range strings.Fields(load) {
		if debianPlugins[name] {
			loaded = append(loaded, name)
		} else {
			missing = append(missing, name)
		}
	}
	return loaded, missing
}

// warnMissingPlugins prints what swanctl prints at start for each plugin
// of its load list that it cannot find.
func warnMissingPlugins(w io.Writer, missing []string) {
	for _, name := range missing {
		fmt.Fprintf(w, "plugin '%s': failed to load - %s_plugin_create not found and "+
			"no plugin file available\n", name, name)
	}
}

// builderCount is how many builders libstrongswan tries for a private key
// of a type, with the plugins of the corpus load list, for the line it
// prints when none of them can parse a file.
// TODO: derive the counts from the actual load list.
var builderCount = map[string]int{
	"RSA": 7, "ECDSA": 4, "ANY": 5, "BLISS": 0, "PKCS12": 2,
}
