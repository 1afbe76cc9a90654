package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/charond/charond/config"
)

// defaultPlugins is what `swanctl --help` lists when strongswan.conf names
// no swanctl.load: the plugins Debian's swanctl loads by default.
// TODO: derive the line from what this swanctl can actually do.
const defaultPlugins = "pem pkcs1 pkcs8 x509 pubkey gmp random nonce aes sha1 sha2 " +
	"md5 hmac openssl"

// localSettings are the strongswan.conf values the CLI uses.
type localSettings struct {
	uri      string   // socket to connect to when --uri is absent
	shownURI string   // how the error message names it ("default" if unset)
	plugins  string   // the "loaded plugins:" line
	missing  []string // plugins of swanctl.load that cannot be loaded
}

// loadStrongswanConf reads STRONGSWAN_CONF (else /etc/strongswan.conf). A
// missing or broken file leaves the defaults, as swanctl does.
func loadStrongswanConf(getenv func(string) string) localSettings {
	st := localSettings{uri: defaultURI, shownURI: "default", plugins: defaultPlugins}
	path := getenv("STRONGSWAN_CONF")
	if path == "" {
		path = "/etc/strongswan.conf"
	}
	if _, err := os.Stat(path); err != nil {
		return st
	}
	s, _, err := config.ParseFile(path)
	if err != nil {
		return st
	}
	for _, key := range []string{"swanctl.socket", "swanctl.plugins.vici.socket"} {
		if v, ok := s.Get(key); ok {
			st.uri, st.shownURI = v, v
			break
		}
	}
	if v, ok := s.Get("swanctl.load"); ok {
		loaded, missing := availablePlugins(v)
		st.plugins, st.missing = strings.Join(loaded, " "), missing
	}
	return st
}

// maxOptionsFile bounds an --options file.
const maxOptionsFile = 64 * 1024

// readOptionsFile splits an --options file into words: whitespace separates
// them, double quotes group, # starts a comment to the end of the line.
func readOptionsFile(path string) ([]string, error) {
	// not os.ReadFile: /dev/zero ran swanctl out of memory, a FIFO hung it
	data, err := config.ReadRegular(path, maxOptionsFile)
	if err != nil {
		return nil, fmt.Errorf("loading options file '%s' failed: %s", path,
			config.Strerror(err))
	}
	var words []string
	var cur strings.Builder
	inWord, quoted, comment := false, false, false
	for _, c := range string(data) {
		switch {
		case comment:
			comment = c != '\n'
		case quoted:
			if c == '"' {
				quoted = false
			} else {
				cur.WriteRune(c)
			}
		case c == '"':
			quoted, inWord = true, true
		case c == '#' && !inWord:
			comment = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
