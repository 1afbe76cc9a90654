package config

import (
	"fmt"
	"strings"

	"github.com/charond/charond/vici"
)

// secretTypes are the section prefixes swanctl knows, in the order it
// tries them.
var secretTypes = []string{
	"eap", "xauth", "ntlm", "ike", "ppk",
	"private", "rsa", "ecdsa", "bliss", "pkcs8", "pkcs12", "token",
}

// sharedTypes are the prefixes sent with load-shared.
var sharedTypes = map[string]bool{
	"eap": true, "xauth": true, "ntlm": true, "ike": true, "ppk": true,
}

// Secrets returns a load-shared request per shared secret section of
// "secrets" (prefix eap, xauth, ntlm, ike or ppk), in enumeration order,
// with Item.Type set to the prefix. Warnings use swanctl's wording for
// unknown prefixes and sections without a secret.
//
// Sections of the key types (private, rsa, ecdsa, bliss, pkcs8, pkcs12)
// send nothing themselves, as with swanctl: they hold passphrases for
// encrypted key files.
//
// TODO: token sections are recognised but skipped; they need load-token
// requests (handle, slot, module, pin), and the key-type sections need a
// lookup of their passphrase for the key file loader.
func Secrets(root Section) ([]Item, []string) {
	secrets := root.Section("secrets")
	var items []Item
	var warns []string
	for _, name := range secrets.Sections() {
		typ := ""
		for _, t := range secretTypes {
			if strings.HasPrefix(name, t) {
				typ = t
				break
			}
		}
		if typ == "" {
			warns = append(warns, fmt.Sprintf("ignoring unsupported secret '%s'", name))
			continue
		}
		if !sharedTypes[typ] {
			continue
		}
		sec := secrets.Section(name)
		value, ok := sec.Value("secret")
		if !ok {
			warns = append(warns, fmt.Sprintf("missing secret in '%s', ignored", name))
			continue
		}
		msg := vici.NewMessage()
		msg.Set("id", name)
		msg.Set("type", typ)
		msg.Set("data", decodeSecret(value))
		owners := []string{}
		for _, kv := range sec.KeyValues() {
			if strings.HasPrefix(kv.Key, "id") {
				owners = append(owners, kv.Value)
			}
		}
		msg.SetList("owners", owners)
		items = append(items, Item{Name: name, Type: typ, Message: msg})
	}
	return items, warns
}

// decodeSecret decodes a 0x (hex) or 0s (base64) secret; anything else is
// taken literally.
func decodeSecret(v string) string {
	if b, ok := inlineBlob(v); ok {
		return b
	}
	return v
}
