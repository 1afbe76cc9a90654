package daemon

import (
	"context"

	"github.com/charond/charond/vici"
)

func (d *Daemon) registerQuery(r vici.Registrar) {
	r.Handle("version", d.version)
}

func (d *Daemon) version(_ context.Context, _ *vici.Request) *vici.Message {
	return vici.NewMessage().Set("daemon", "charond").Set("version", d.opts.Version)
}
