package daemon

import (
	"context"
	"errors"

	"github.com/charond/charond/creds"
	"github.com/charond/charond/vici"
)

func (d *Daemon) registerCreds(r vici.Registrar) {
	r.Handle("load-shared", d.loadShared)
	r.Handle("unload-shared", d.unloadShared)
	r.Handle("get-shared", d.getShared)
	r.Handle("clear-creds", d.clearCreds)
	r.Handle("get-keys", d.getKeys)
	d.registerCerts(r)
}

func (d *Daemon) loadShared(_ context.Context, req *vici.Request) *vici.Message {
	m := req.Message
	// strongSwan names a shared key by its unique id, when it has one
	id, _ := argString(m, "id")
	fail := func(errmsg string, attrs ...any) *vici.Message {
		return d.loadFailed("shared key", errmsg, append(attrs, "id", id)...)
	}
	name, ok := argString(m, "type")
	if !ok {
		return fail("shared key type missing")
	}
	typ, err := creds.ParseType(name)
	if errors.Is(err, creds.ErrType) {
		return fail("invalid shared key type: " + name)
	}
	data, ok := m.Get("data") // a raw secret, binary allowed
	if !ok {
		return fail("shared key data missing")
	}
	owners, _ := m.List("owners")
	for _, o := range owners {
		if !printable(o) {
			return fail("parsing shared key owners failed")
		}
	}
	d.creds.Add(creds.Shared{ID: id, Type: typ, Data: []byte(data), Owners: owners})
	d.log.Info("loaded shared key", "subsys", "cfg", "type", string(typ), "id", id,
		"owners", len(owners))
	return vici.Success()
}

func (d *Daemon) unloadShared(_ context.Context, req *vici.Request) *vici.Message {
	id, ok := argString(req.Message, "id")
	if !ok {
		return vici.Failure("unique identifier missing")
	}
	// strongSwan succeeds also for an id it does not know
	if d.creds.Remove(id) {
		d.log.Info("unloaded shared key", "subsys", "cfg", "id", id)
	}
	return vici.Success()
}

func (d *Daemon) getShared(_ context.Context, _ *vici.Request) *vici.Message {
	return vici.NewMessage().SetList("keys", d.creds.IDs())
}

// clearCreds drops every credential loaded over VICI: shared secrets,
// certificates and private keys. Authorities stay, as in charon.
func (d *Daemon) clearCreds(_ context.Context, _ *vici.Request) *vici.Message {
	d.creds.Clear()
	d.log.Info("cleared vici credentials", "subsys", "cfg")
	return vici.Success()
}

// getKeys lists the ids of private keys loaded over VICI.
func (d *Daemon) getKeys(_ context.Context, _ *vici.Request) *vici.Message {
	return vici.NewMessage().SetList("keys", d.creds.KeyIDs())
}
