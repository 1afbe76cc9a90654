package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
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
	{"x509", "x509", "none"}, {"x509ca", "x509", "ca"}, {"x509ocsp", "x509", "ocsp"},
	{"x509aa", "x509", "aa"}, {"x509ac", "x509_ac", ""}, {"x509crl", "x509_crl", ""},
	{"pubkey", "pubkey", ""},
}

// keyFolders hold private keys, with the load-key type of each.
var keyFolders = []struct{ dir, typ string }{
	{"private", "any"}, {"rsa", "rsa"}, {"ecdsa", "ecdsa"}, {"bliss", "bliss"},
	{"pkcs8", "any"},
}

// loadCreds loads certificates, keys and shared secrets and unloads the
// keys and secrets the daemon had that were not loaded again.
func (e *env) loadCreds(c *swanctlConf) int {
	if e.has("clear") {
		reply, err := e.client.call("clear-creds", nil)
		if err != nil {
			fmt.Fprintf(e.stderr, "clear-creds request failed: %s\n", strerror(errnoOf(err)))
			return int(syscall.ECONNREFUSED)
		}
		if e.format != formatText {
			dump(e.stdout, "clear-creds reply", reply, e.format)
		}
	}
	keys := e.loadedIDs("get-keys")
	shared := e.loadedIDs("get-shared")
	for _, f := range certFolders {
		e.eachFile(filepath.Join(c.base, f.dir), func(path string, data []byte) {
			req := vici.NewMessage().Set("type", f.typ)
			if f.flag != "" {
				req.Set("flag", f.flag)
			}
			req.Set("data", string(data))
			if e.credCall("load-cert", req) != nil {
				e.textf("loaded certificate from '%s'\n", path)
			}
		})
	}
	for _, f := range keyFolders {
		e.eachFile(filepath.Join(c.base, f.dir), func(path string, data []byte) {
			// TODO: encrypted keys (prompting unless --noprompt) and
			// pkcs12 containers are not supported.
			req := vici.NewMessage().Set("type", f.typ).Set("data", string(data))
			if reply := e.credCall("load-key", req); reply != nil {
				id, _ := reply.Get("id")
				keys = remove(keys, id)
				e.textf("loaded %s key from '%s'\n", f.typ, path)
			}
		})
	}
	// TODO: pkcs12 folder and token secrets are only reported, not loaded.
	e.eachFile(filepath.Join(c.base, "pkcs12"), func(string, []byte) {})
	items, warns := config.Secrets(c.root)
	for _, w := range warns {
		fmt.Fprintln(e.stderr, w)
	}
	for _, it := range items {
		if e.credCall("load-shared", it.Message) != nil {
			shared = remove(shared, it.Name)
			e.textf("loaded %s secret '%s'\n", it.Type, it.Name)
		}
	}
	for _, id := range keys {
		e.credCall("unload-key", vici.NewMessage().Set("id", id))
	}
	for _, id := range shared {
		e.credCall("unload-shared", vici.NewMessage().Set("id", id))
	}
	return 0
}

// loadedIDs asks for the ids of loaded keys or secrets.
func (e *env) loadedIDs(cmd string) []string {
	reply, err := e.client.call(cmd, nil)
	if err != nil {
		return nil
	}
	if e.format != formatText {
		dump(e.stdout, cmd+" reply", reply, e.format)
	}
	l, _ := reply.List("keys")
	return l
}

// credCall sends a credential request and returns the reply when it
// succeeded, reporting failures on stderr. In raw mode it dumps the reply
// and takes it as a success, as swanctl does.
func (e *env) credCall(cmd string, req *vici.Message) *vici.Message {
	reply, err := e.client.call(cmd, req)
	if err != nil {
		fmt.Fprintf(e.stderr, "%s request failed: %s\n", cmd, strerror(errnoOf(err)))
		return nil
	}
	if e.format != formatText {
		dump(e.stdout, cmd+" reply", reply, e.format)
		return reply
	}
	if !succeeded(reply) {
		fmt.Fprintf(e.stderr, "%s failed: %s\n", cmd, errmsg(reply))
		return nil
	}
	return reply
}

// eachFile calls fn for every regular file in dir, in name order, and
// reports a folder that cannot be opened as swanctl does.
func (e *env) eachFile(dir string, fn func(path string, data []byte)) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "opening directory '%s' failed: %s\n", dir,
			strerror(errnoOf(err)))
		return
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
	for _, ent := range ents {
		path := filepath.Join(dir, ent.Name())
		if !ent.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(e.stderr, "reading '%s' failed: %s\n", path, strerror(errnoOf(err)))
			continue
		}
		fn(path, data)
	}
}
