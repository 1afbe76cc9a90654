package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/charond/charond/config"
	"github.com/charond/charond/vici"
)

var cmdLoadCreds = &command{
	name: "load-creds", short: 's', desc: "(re-)load credentials",
	usage: "--load-creds " + rawPretty + " [--clear] [--noprompt]",
	opts:  []option{optHelp, optClear, optNoprompt, optRaw, optPretty, optFile},
	run: func(e *env) int {
		c, rc := e.readConf()
		if c == nil {
			return rc
		}
		return e.loadCreds(c)
	},
}

// certFolders are read in swanctl's order, with the load-cert type and
// flag of what they hold.
var certFolders = []struct{ dir, typ, flag string }{
	{"x509", "X509", "NONE"}, {"x509ca", "X509", "CA"}, {"x509ocsp", "X509", "OCSP"},
	{"x509aa", "X509", "AA"}, {"x509ac", "X509_AC", ""}, {"x509crl", "X509_CRL", ""},
	{"pubkey", "PUBKEY", ""},
}

// keyFolders hold private keys: the type swanctl parses them as, and the
// type a key it cannot parse is sent with for the daemon to try.
var keyFolders = []struct{ dir, parse, raw string }{
	{"private", "ANY", "any"}, {"rsa", "RSA", "rsa"}, {"ecdsa", "ECDSA", "ecdsa"},
	{"bliss", "BLISS", "bliss"}, {"pkcs8", "ANY", "any"},
}

// credState is what one --load-creds run tracks: the ids the daemon had,
// which are unloaded at the end unless loaded again.
type credState struct {
	conf   *swanctlConf
	keys   []string
	shared []string
}

// loadCreds loads certificates, keys, containers, tokens and shared secrets
// in swanctl's order, then unloads the keys and secrets the daemon had that
// were not loaded again. Failures are reported but do not fail the command.
func (e *env) loadCreds(c *swanctlConf) int {
	if e.has("clear") {
		reply, err := e.client.call("clear-creds", nil)
		if err != nil {
			e.requestFailed("clear-creds", err)
			return int(syscall.ECONNREFUSED)
		}
		if e.format != formatText {
			dump(e.stdout, "clear-creds reply", reply, e.format)
		}
	}
	keys, ok := e.loadedIDs("get-keys")
	if !ok {
		return int(syscall.EINVAL)
	}
	shared, ok := e.loadedIDs("get-shared")
	if !ok {
		return int(syscall.EINVAL)
	}
	st := &credState{conf: c, keys: keys, shared: shared}
	for _, f := range certFolders {
		e.eachFile(filepath.Join(c.base, f.dir), func(path string, data []byte) {
			e.loadCert(path, f.typ, f.flag, data)
		})
	}
	for _, f := range keyFolders {
		e.eachFile(filepath.Join(c.base, f.dir), func(path string, data []byte) {
			e.loadKeyFile(st, f.dir, f.parse, f.raw, path, data)
		})
	}
	e.eachFile(filepath.Join(c.base, "pkcs12"), func(path string, data []byte) {
		e.loadContainer(st, path, data)
	})
	e.loadTokens(st)
	items, warns := config.Secrets(c.root)
	for _, w := range warns {
		fmt.Fprintln(e.stderr, w)
	}
	for _, it := range items {
		reply, ok := e.credCall("load-shared", it.Message)
		if !ok {
			continue
		}
		st.shared = remove(st.shared, it.Name)
		if e.format == formatText {
			if !succeeded(reply) {
				fmt.Fprintf(e.stderr, "loading shared secret failed: %s\n", errmsg(reply))
				continue
			}
			fmt.Fprintf(e.stdout, "loaded %s secret '%s'\n", it.Type, it.Name)
		}
	}
	for _, id := range st.keys {
		e.unloadCred("unload-key", "key", id)
	}
	for _, id := range st.shared {
		e.unloadCred("unload-shared", "shared secret", id)
	}
	return 0
}

// loadCert sends one certificate file or container certificate.
func (e *env) loadCert(path, typ, flag string, data []byte) {
	req := vici.NewMessage().Set("type", typ)
	if flag != "" {
		req.Set("flag", flag)
	}
	req.Set("data", string(data))
	reply, ok := e.credCall("load-cert", req)
	if !ok || e.format != formatText {
		return
	}
	if !succeeded(reply) {
		fmt.Fprintf(e.stderr, "loading '%s' failed: %s\n", path, errmsg(reply))
		return
	}
	fmt.Fprintf(e.stdout, "loaded certificate from '%s'\n", path)
}

// loadKey sends one private key; typ is what "loaded ... key" names.
func (e *env) loadKey(st *credState, path, typ string, data []byte) {
	e.sendKey(st, path, typ, typ, data)
}

// sendKey sends a key of type typ; label names it in the success line.
func (e *env) sendKey(st *credState, path, typ, label string, data []byte) {
	req := vici.NewMessage().Set("type", typ).Set("data", string(data))
	reply, ok := e.credCall("load-key", req)
	if !ok {
		return
	}
	if e.format != formatText {
		// swanctl keeps the id in raw mode, so the key is unloaded again
		return
	}
	if !succeeded(reply) {
		fmt.Fprintf(e.stderr, "loading '%s' failed: %s\n", path, errmsg(reply))
		return
	}
	id, _ := reply.Get("id")
	st.keys = remove(st.keys, id)
	fmt.Fprintf(e.stdout, "loaded %s key from '%s'\n", label, path)
}

// unloadCred unloads a key or shared secret the file no longer has.
func (e *env) unloadCred(cmd, what, id string) {
	reply, ok := e.credCall(cmd, vici.NewMessage().Set("id", id))
	if ok && e.format == formatText && !succeeded(reply) {
		fmt.Fprintf(e.stderr, "unloading %s '%s' failed: %s\n", what, id, errmsg(reply))
	}
}

// loadedIDs asks for the ids of loaded keys or secrets. It reports false
// when the daemon answered with a failure.
func (e *env) loadedIDs(cmd string) ([]string, bool) {
	reply, err := e.client.call(cmd, nil)
	if err != nil {
		return nil, true
	}
	if e.format != formatText {
		dump(e.stdout, cmd+" reply", reply, e.format)
	}
	if e.queryFailed(cmd, reply) {
		return nil, false
	}
	l, _ := reply.List("keys")
	return l, true
}

// credCall sends a credential request. It reports a transport failure and
// returns false; in raw mode it dumps the reply.
func (e *env) credCall(cmd string, req *vici.Message) (*vici.Message, bool) {
	reply, err := e.client.call(cmd, req)
	if err != nil {
		e.requestFailed(cmd, err)
		return nil, false
	}
	if e.format != formatText {
		dump(e.stdout, cmd+" reply", reply, e.format)
	}
	return reply, true
}

// eachFile calls fn for every regular file in dir, in the order the file
// system lists them (as swanctl's readdir does, unsorted), and reports a
// folder that cannot be opened as swanctl does.
func (e *env) eachFile(dir string, fn func(path string, data []byte)) {
	f, err := os.Open(dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "opening directory '%s' failed: %s\n", dir,
			strerror(errnoOf(err)))
		return
	}
	ents, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		fmt.Fprintf(e.stderr, "opening directory '%s' failed: %s\n", dir,
			strerror(errnoOf(err)))
		return
	}
	for _, ent := range ents {
		path := filepath.Join(dir, ent.Name())
		info, err := os.Stat(path)
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		data, err := config.ReadRegular(path, config.MaxCredFile)
		if err != nil {
			fmt.Fprintf(e.stderr, "mapping '%s' failed: %s, skipped\n", path,
				config.Strerror(err))
			continue
		}
		fn(path, data)
	}
}
