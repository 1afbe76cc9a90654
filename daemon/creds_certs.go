package daemon

import (
	"context"
	"errors"
	"fmt"

	"github.com/charond/charond/creds"
	"github.com/charond/charond/vici"
)

func (d *Daemon) registerCerts(r vici.Registrar) {
	r.Handle("load-cert", d.loadCert)
	r.Handle("load-key", d.loadKey)
	r.Handle("unload-key", d.unloadKey)
	r.Handle("load-token", d.loadToken)
	r.Handle("flush-certs", d.flushCerts)
	r.Handle("list-certs", d.listCerts)
}

func (d *Daemon) loadCert(_ context.Context, req *vici.Request) *vici.Message {
	m := req.Message
	name, ok := argString(m, "type")
	fail := func(errmsg string, attrs ...any) *vici.Message {
		return d.loadFailed("certificate", errmsg, append(attrs, "type", name)...)
	}
	if !ok {
		return fail("certificate type missing")
	}
	typ, flag, implied, err := creds.ParseCertType(name)
	if err != nil {
		return fail(fmt.Sprintf("invalid certificate type '%s'", name))
	}
	if typ == creds.CertX509 && !implied {
		fname, ok := argString(m, "flag")
		if !ok {
			fname = string(creds.FlagNone)
		}
		if flag, err = creds.ParseFlag(fname); err != nil {
			return fail(fmt.Sprintf("invalid certificate flag '%s'", fname))
		}
	}
	data, ok := m.Get("data")
	if !ok || data == "" {
		return fail("certificate data missing")
	}
	c, err := creds.ParseCert(typ, flag, []byte(data))
	switch {
	case errors.Is(err, creds.ErrNotCA):
		return fail("ca certificate lacks CA basic constraint, rejected")
	case err != nil:
		return fail(fmt.Sprintf("parsing %s certificate failed", typ))
	}
	d.creds.AddCert(c)
	d.log.Info("loaded certificate", "subsys", "cfg", "type", string(typ),
		"subject", creds.SubjectDN(c))
	return vici.Success()
}

func (d *Daemon) loadKey(_ context.Context, req *vici.Request) *vici.Message {
	m := req.Message
	name, ok := argString(m, "type")
	fail := func(errmsg string, attrs ...any) *vici.Message {
		return d.loadFailed("private key", errmsg, append(attrs, "type", name)...)
	}
	if !ok {
		return fail("key type missing")
	}
	typ, err := creds.ParseKeyType(name)
	if err != nil {
		return fail("invalid key type: " + name)
	}
	data, ok := m.Get("data")
	if !ok || data == "" {
		return fail("key data missing")
	}
	k, err := creds.ParseKey(typ, []byte(data))
	if err != nil {
		return fail(fmt.Sprintf("parsing %s private key failed", typ), "err", err)
	}
	d.creds.AddKey(k)
	d.log.Info("loaded private key", "subsys", "cfg", "type", string(k.Type), "id", k.ID)
	return vici.Success().Set("id", k.ID)
}

func (d *Daemon) unloadKey(_ context.Context, req *vici.Request) *vici.Message {
	id, ok := argString(req.Message, "id")
	if !ok {
		return vici.Failure("key id missing")
	}
	if !d.creds.RemoveKey(id) {
		return vici.Failure("key not found")
	}
	d.log.Info("unloaded private key", "subsys", "cfg", "id", id)
	return vici.Success()
}

// loadToken answers as charon does without a PKCS#11 module that holds the
// key.
//
// TODO: PKCS#11 tokens are not supported, so every load fails.
func (d *Daemon) loadToken(_ context.Context, req *vici.Request) *vici.Message {
	if _, ok := argString(req.Message, "handle"); !ok {
		return vici.Failure("keyid missing")
	}
	return vici.Failure("loading private key from token failed")
}

// flushCerts checks the type and succeeds: charond fetches no certificates
// over the network, so it has no cache to flush; loaded ones stay, as in
// charon.
func (d *Daemon) flushCerts(_ context.Context, req *vici.Request) *vici.Message {
	if name, ok := argString(req.Message, "type"); ok {
		if _, _, _, err := creds.ParseCertType(name); err != nil {
			return vici.Failure(fmt.Sprintf("invalid certificate type '%s'", name))
		}
	}
	return vici.Success()
}

// certFilter reads the list-certs filter; ok is false for an invalid type
// or flag, which charon only logs.
func certFilter(m *vici.Message) (f creds.Filter, ok bool) {
	f = creds.Filter{Type: creds.CertAny, Flag: creds.FlagAny}
	if name, set := argString(m, "type"); set {
		typ, flag, implied, err := creds.ParseCertType(name)
		if err != nil {
			return f, false
		}
		f.Type = typ
		if implied && typ == creds.CertX509 {
			f.Flag = flag
		}
	}
	if name, set := argString(m, "flag"); set && f.Type == creds.CertX509 {
		flag, err := creds.ParseFlag(name)
		if err != nil {
			return f, false
		}
		f.Flag = flag
	}
	f.Subject, _ = argString(m, "subject")
	return f, true
}

func (d *Daemon) listCerts(_ context.Context, req *vici.Request) *vici.Message {
	f, ok := certFilter(req.Message)
	if !ok {
		d.log.Info("invalid list-certs filter", "subsys", "cfg")
		return vici.NewMessage()
	}
	for _, l := range creds.Select(d.allCerts(), f) {
		if !req.Emit("list-cert", d.certEvent(l)) {
			break
		}
	}
	return vici.NewMessage()
}

// allCerts is every certificate charond knows: loaded ones, then those of
// authorities that were not loaded as certificates too.
func (d *Daemon) allCerts() []*creds.Cert {
	certs := d.creds.Certs()
	for _, a := range d.auths.Snapshot() {
		dup := false
		for _, c := range certs {
			dup = dup || c.Equal(a.Cert)
		}
		if !dup {
			certs = append(certs, a.Cert)
		}
	}
	return certs
}

func (d *Daemon) certEvent(l creds.Listed) *vici.Message {
	m := vici.NewMessage().Set("type", string(l.Cert.Type))
	if l.Flag != "" {
		m.Set("flag", string(l.Flag))
	}
	if d.creds.HasKey(l.Cert.KeyID) {
		m.Set("has_privkey", "yes")
	}
	return m.Set("data", string(l.Cert.DER))
}
