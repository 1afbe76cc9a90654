package conn

import (
	"strconv"
	"strings"
)

// proposalWords are the algorithm keywords of strongSwan's proposal syntax
// that need no pattern: integrity, PRF, key exchange and the odd ciphers.
var proposalWords = map[string]bool{
	"null": true, "3des": true, "des": true, "cast128": true, "blowfish": true,
	"chacha20poly1305": true, "chacha20poly1305compat": true, "aes": true,
	"camellia": true, "serpent": true, "twofish": true, "idea": true,
	"md5": true, "md5_128": true, "sha": true, "sha1": true, "sha1_160": true,
	"sha256": true, "sha2_256": true, "sha256_96": true, "sha2_256_96": true,
	"sha384": true, "sha2_384": true, "sha512": true, "sha2_512": true,
	"aesxcbc": true, "aescmac": true, "camelliaxcbc": true,
	"prfmd5": true, "prfsha1": true, "prfsha256": true, "prfsha384": true,
	"prfsha512": true, "prfaesxcbc": true, "prfaescmac": true, "prfcamelliaxcbc": true,
	"modp768": true, "modp1024": true, "modp1536": true, "modp2048": true,
	"modp3072": true, "modp4096": true, "modp6144": true, "modp8192": true,
	"modp1024s160": true, "modp2048s224": true, "modp2048s256": true,
	"ecp192": true, "ecp224": true, "ecp256": true, "ecp384": true, "ecp521": true,
	"ecp224bp": true, "ecp256bp": true, "ecp384bp": true, "ecp512bp": true,
	"curve25519": true, "x25519": true, "curve448": true, "x448": true,
	"esn": true, "noesn": true,
}

// validProposal checks a proposal string (alg-alg-...) word by word.
//
// TODO: strongSwan also checks that a proposal is complete for its protocol
// (an encryption algorithm for IKE and ESP, a PRF derivable for IKE) and
// knows a few more names (ntru, newhope, ke1_..., ecp*bp aliases).
func validProposal(p string) bool {
	if strings.EqualFold(p, "default") {
		return true
	}
	if p == "" {
		return false
	}
	for _, w := range strings.Split(strings.ToLower(p), "-") {
		if !proposalWords[w] && !cipherWord(w) {
			return false
		}
	}
	return true
}

// cipherWord matches aes/camellia with a key size and an optional mode
// suffix: aes256, aes128ctr, aes256gcm16, aes128ccm8, aes192gmac.
func cipherWord(w string) bool {
	for _, base := range []string{"aes", "camellia", "blowfish", "serpent", "twofish"} {
		rest, ok := strings.CutPrefix(w, base)
		if !ok {
			continue
		}
		for _, mode := range []string{"", "ctr", "gmac", "ccm8", "ccm12", "ccm16",
			"ccm64", "ccm96", "ccm128", "gcm8", "gcm12", "gcm16", "gcm64", "gcm96",
			"gcm128", "ccm", "gcm"} {
			size, ok := strings.CutSuffix(rest, mode)
			if !ok {
				continue
			}
			if size == "" && mode != "" {
				return true // aesgcm16 etc. default to 128 bits
			}
			if n, err := strconv.Atoi(size); err == nil && (n == 128 || n == 192 || n == 256) {
				return true
			}
		}
	}
	return false
}
