package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/charond/charond/vici"
)

// configSecrets returns the passphrases that swanctl.conf's secrets
// section gives for a file of a credential folder: sections named after
// the folder (rsa-x, pkcs12y, ...) whose file, relative to the folder,
// is path.
func (st *credState) configSecrets(folder, path string) []string {
	sec := st.conf.root.Section("secrets")
	var out []string
	for _, name := range sec.Sections() {
		if !strings.HasPrefix(name, folder) {
			continue
		}
		s := sec.Section(name)
		file, ok := s.Value("file")
		if !ok {
			continue
		}
		// swanctl 5.9.8 joins even an absolute file to the folder, so such
		// a section never applies.
		if st.conf.base+"/"+folder+"/"+file != path {
			continue
		}
		if secret, ok := s.Value("secret"); ok {
			out = append(out, secret)
		}
	}
	return out
}

// passwordSource yields the given passphrases, one per call.
func passwordSource(list []string) func() (string, bool) {
	return func() (string, bool) {
		if len(list) == 0 {
			return "", false
		}
		pw := list[0]
		list = list[1:]
		return pw, true
	}
}

// promptSource asks once on the terminal for a file's passphrase.
func (e *env) promptSource(folder, path string) func() (string, bool) {
	asked := false
	return func() (string, bool) {
		if asked {
			return "", false
		}
		asked = true
		return e.getpass(fmt.Sprintf("Password for %s file '%s': ", folder, filepath.Base(path)))
	}
}

// parseFailed prints what libstrongswan logs when no plugin could build a
// credential from a file.
// TODO: the ASN.1 parser's own lines for DER that is no key ("L1 -
// privateKeyAlgorithm: ...") and the messages for wrong passphrases of
// PKCS#8 and PKCS#12 files are not reproduced.
func (e *env) parseFailed(err error, what, typ string) {
	if errors.Is(err, errUnknownFormat) {
		fmt.Fprintln(e.stderr, "  file coded in unknown format, discarded")
	}
	fmt.Fprintf(e.stderr, "building %s - %s failed, tried %d builders\n",
		what, typ, builderCount[typ])
}

// decryptWith runs parse first with the passphrases from swanctl.conf (if
// any apply to the file), then, unless --noprompt, with one typed at the
// terminal. It returns false when neither attempt worked.
func (e *env) decryptWith(st *credState, folder, path, what, typ string,
	parse func(func() (string, bool)) error) bool {
	if secrets := st.configSecrets(folder, path); len(secrets) > 0 {
		err := parse(passwordSource(secrets))
		if err == nil {
			return true
		}
		e.parseFailed(err, what, typ)
		fmt.Fprintf(e.stderr, "configured decryption secret for '%s' invalid\n",
			filepath.Base(path))
	}
	if e.has("noprompt") {
		return false
	}
	err := parse(e.promptSource(folder, path))
	if err == nil {
		return true
	}
	e.parseFailed(err, what, typ)
	return false
}

// loadKeyFile parses a key file and sends its DER with the key type, or,
// when it cannot parse it, sends the file as it is with the folder's type.
func (e *env) loadKeyFile(st *credState, folder, parseType, rawType, path string, data []byte) {
	var key parsedKey
	ok := e.decryptWith(st, folder, path, "CRED_PRIVATE_KEY", parseType,
		func(pw func() (string, bool)) error {
			k, err := parsePrivateKey(data, parseType, pw, func() {
				fmt.Fprintln(e.stderr, "  invalid passphrase")
			})
			key = k
			return err
		})
	if !ok {
		e.loadKeyRaw(st, folder, rawType, path, data)
		return
	}
	if key.big {
		// gmp declines such keys before openssl takes them
		fmt.Fprintln(e.stderr, "key larger than 8192 bits")
	}
	e.loadKey(st, path, key.typ, key.der)
}

// loadKeyRaw sends a key file unparsed; success names the folder.
func (e *env) loadKeyRaw(st *credState, folder, rawType, path string, data []byte) {
	e.sendKey(st, path, rawType, folder, data)
}

// loadContainer opens a PKCS#12 file and loads its certificates and keys;
// a container it cannot open is skipped, as swanctl does.
func (e *env) loadContainer(st *credState, path string, data []byte) {
	var c *pkcs12Container
	ok := e.decryptWith(st, "pkcs12", path, "CRED_CONTAINER", "PKCS12",
		func(pw func() (string, bool)) error {
			var err error
			c, err = parsePKCS12(data, pw)
			return err
		})
	if !ok {
		return
	}
	for _, cert := range c.certs {
		fmt.Fprintf(e.stderr, "  %s\n", certSubject(cert))
	}
	for _, cert := range c.certs {
		e.loadCert(path, "X509", "NONE", cert)
	}
	for _, k := range c.keys {
		e.loadKey(st, path, k.typ, k.der)
	}
}

// loadTokens sends a load-token request per token section of secrets,
// asking for a missing PIN unless --noprompt.
func (e *env) loadTokens(st *credState) {
	sec := st.conf.root.Section("secrets")
	for _, name := range sec.Sections() {
		if !strings.HasPrefix(name, "token") {
			continue
		}
		s := sec.Section(name)
		req := vici.NewMessage()
		if v, ok := s.Value("handle"); ok {
			req.Set("handle", v)
		}
		if v, ok := s.Value("slot"); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
				req.Set("slot", strconv.Itoa(n))
			}
		}
		if v, ok := s.Value("module"); ok {
			req.Set("module", v)
		}
		if v, ok := s.Value("pin"); ok {
			req.Set("pin", v)
		} else if !e.has("noprompt") {
			pin, _ := e.getpass(fmt.Sprintf("PIN for %s: ", name))
			req.Set("pin", pin)
		}
		reply, ok := e.credCall("load-token", req)
		if !ok {
			continue
		}
		if e.format != formatText {
			continue
		}
		if !succeeded(reply) {
			fmt.Fprintf(e.stderr, "loading '%s' failed: %s\n", name, errmsg(reply))
			continue
		}
		id, _ := reply.Get("id")
		st.keys = remove(st.keys, id)
		// TODO: confirm the success line against a daemon with a PKCS#11 token.
		fmt.Fprintf(e.stdout, "loaded key %s from token [keyid: %s]\n", name, id)
	}
}
