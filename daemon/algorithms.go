package daemon

import (
	"context"

	"github.com/charond/charond/vici"
)

// algorithm is one entry of get-algorithms: strongSwan's name for it and
// the Go package that provides it, reported where charon names a plugin.
type algorithm struct{ name, provider string }

// algorithms lists, per get-algorithms section, what Go's standard library
// offers charond. The sections and their order are charon's; 5.9.8 names
// the key exchange section dh.
//
// TODO: this lists what Go's packages offer; the IKE layer (ike/)
// negotiates a subset (see its proposal keywords), which is what it should
// list.
var algorithms = []struct {
	section string
	algs    []algorithm
}{
	{"encryption", []algorithm{{"AES_CBC", "crypto/aes"}, {"AES_ECB", "crypto/aes"},
		{"AES_CTR", "crypto/aes"}, {"3DES_CBC", "crypto/des"}, {"DES_CBC", "crypto/des"},
		{"DES_ECB", "crypto/des"}, {"NULL", "charond"}}},
	{"integrity", []algorithm{{"HMAC_SHA1_96", "crypto/hmac"}, {"HMAC_SHA1_128", "crypto/hmac"},
		{"HMAC_SHA1_160", "crypto/hmac"}, {"HMAC_MD5_96", "crypto/hmac"},
		{"HMAC_MD5_128", "crypto/hmac"}, {"HMAC_SHA2_256_128", "crypto/hmac"},
		{"HMAC_SHA2_256_256", "crypto/hmac"}, {"HMAC_SHA2_384_192", "crypto/hmac"},
		{"HMAC_SHA2_384_384", "crypto/hmac"}, {"HMAC_SHA2_512_256", "crypto/hmac"},
		{"HMAC_SHA2_512_512", "crypto/hmac"}}},
	{"aead", []algorithm{{"AES_GCM_16", "crypto/cipher"}}},
	{"hasher", []algorithm{{"HASH_SHA1", "crypto/sha1"}, {"HASH_SHA2_224", "crypto/sha256"},
		{"HASH_SHA2_256", "crypto/sha256"}, {"HASH_SHA2_384", "crypto/sha512"},
		{"HASH_SHA2_512", "crypto/sha512"}, {"HASH_MD5", "crypto/md5"},
		{"HASH_SHA3_224", "crypto/sha3"}, {"HASH_SHA3_256", "crypto/sha3"},
		{"HASH_SHA3_384", "crypto/sha3"}, {"HASH_SHA3_512", "crypto/sha3"}}},
	{"prf", []algorithm{{"PRF_HMAC_SHA1", "crypto/hmac"}, {"PRF_HMAC_MD5", "crypto/hmac"},
		{"PRF_HMAC_SHA2_256", "crypto/hmac"}, {"PRF_HMAC_SHA2_384", "crypto/hmac"},
		{"PRF_HMAC_SHA2_512", "crypto/hmac"}}},
	{"xof", []algorithm{{"XOF_SHAKE128", "crypto/sha3"}, {"XOF_SHAKE256", "crypto/sha3"}}},
	{"kdf", []algorithm{{"KDF_PRF", "charond"}, {"KDF_PRF_PLUS", "charond"}}},
	{"drbg", nil},
	{"dh", []algorithm{{"MODP_3072", "math/big"}, {"MODP_4096", "math/big"},
		{"MODP_6144", "math/big"}, {"MODP_8192", "math/big"}, {"MODP_2048", "math/big"},
		{"MODP_1536", "math/big"}, {"MODP_1024", "math/big"}, {"CURVE_25519", "crypto/ecdh"},
		{"ECP_256", "crypto/ecdh"}, {"ECP_384", "crypto/ecdh"}, {"ECP_521", "crypto/ecdh"}}},
	{"rng", []algorithm{{"RNG_WEAK", "crypto/rand"}, {"RNG_STRONG", "crypto/rand"},
		{"RNG_TRUE", "crypto/rand"}}},
	{"nonce-gen", []algorithm{{"NONCE_GEN", "crypto/rand"}}},
}

func (d *Daemon) registerAlgorithms(r vici.Registrar) {
	r.Handle("get-algorithms", d.getAlgorithms)
}

func (d *Daemon) getAlgorithms(context.Context, *vici.Request) *vici.Message {
	m := vici.NewMessage()
	for _, s := range algorithms {
		sec := m.AddSection(s.section)
		for _, a := range s.algs {
			sec.Set(a.name, a.provider)
		}
	}
	return m
}
