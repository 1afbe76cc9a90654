package daemon

import (
	"context"
	"fmt"

	"github.com/charond/charond/creds"
	"github.com/charond/charond/vici"
)

func (d *Daemon) registerAuthorities(r vici.Registrar) {
	r.Handle("load-authority", d.loadAuthority)
	r.Handle("unload-authority", d.unloadAuthority)
	r.Handle("get-authorities", d.getAuthorities)
	r.Handle("list-authorities", d.listAuthorities)
}

// loadAuthority loads one authority per section of the request, in order,
// stopping at the first that fails (earlier ones stay loaded).
func (d *Daemon) loadAuthority(_ context.Context, req *vici.Request) *vici.Message {
	for _, e := range req.Message.Entries() {
		if e.Kind != vici.KindSection {
			continue // charon ignores anything but sections at the root
		}
		// a file that could not be read is named in the failure's log line,
		// or in a line of its own when another cacert makes up for it
		var fileAttrs []any
		a, errmsg := parseAuthority(e.Name, e.Section, func(path string, err error) {
			fileAttrs = []any{"path", path, "reason", err}
		})
		if errmsg != "" {
			return d.loadFailed("authority", errmsg, append([]any{"name", e.Name},
				fileAttrs...)...)
		}
		if fileAttrs != nil {
			d.log.Warn("loading CA certificate failed", append([]any{"subsys", "cfg",
				"name", e.Name}, fileAttrs...)...)
		}
		if d.auths.Load(a) {
			d.log.Info("replaced vici authority", "subsys", "cfg", "name", a.Name)
		} else {
			d.log.Info("added vici authority", "subsys", "cfg", "name", a.Name)
		}
	}
	return vici.Success()
}

// parseAuthority reads one authority section; errmsg is the reply's error
// when it is refused. fileFailed is told why a file= could not be read.
func parseAuthority(name string, m *vici.Message,
	fileFailed func(path string, err error)) (a *creds.Authority, errmsg string) {
	a = &creds.Authority{Name: name, CRLURIs: []string{}, OCSPURIs: []string{}}
	unknown := func(k string) string {
		return fmt.Sprintf("unknown option: %s, authority discarded", k)
	}
	invalid := func(k string) string {
		return fmt.Sprintf("invalid value for: %s, authority discarded", k)
	}
	for _, e := range m.Entries() {
		switch e.Kind {
		case vici.KindValue:
			switch e.Name {
			case "cacert", "file":
				data := []byte(e.Value)
				if e.Name == "file" {
					var err error
					if !printable(e.Value) {
						continue
					}
					if data, err = creds.ReadFile(e.Value); err != nil {
						// charon only logs it: the CA is then missing
						fileFailed(e.Value, err)
						continue
					}
				}
				if c, err := creds.ParseCert(creds.CertX509, creds.FlagCA, data); err == nil {
					a.Cert = c
				}
			case "cert_uri_base":
				if !printable(e.Value) {
					return nil, invalid(e.Name)
				}
				a.CertURIBase = e.Value
			case "handle", "slot", "module":
				// TODO: PKCS#11 tokens are not supported; an authority
				// given only by handle ends as "CA certificate missing".
			default:
				return nil, unknown(e.Name)
			}
		case vici.KindList:
			switch e.Name {
			case "crl_uris":
				a.CRLURIs = append(a.CRLURIs, e.Items...)
			case "ocsp_uris":
				a.OCSPURIs = append(a.OCSPURIs, e.Items...)
			default:
				return nil, unknown(e.Name)
			}
		case vici.KindSection:
			return nil, unknown(e.Name)
		}
	}
	if a.Cert == nil {
		return nil, "CA certificate missing: " + name
	}
	return a, ""
}

func (d *Daemon) unloadAuthority(_ context.Context, req *vici.Request) *vici.Message {
	name, ok := argString(req.Message, "name")
	if !ok {
		return vici.Failure("unload: missing authority name")
	}
	if !d.auths.Unload(name) {
		return vici.Failure(fmt.Sprintf("unload: authority '%s' not found", name))
	}
	d.log.Info("removed vici authority", "subsys", "cfg", "name", name)
	return vici.Success()
}

func (d *Daemon) getAuthorities(_ context.Context, _ *vici.Request) *vici.Message {
	return vici.NewMessage().SetList("authorities", d.auths.Names())
}

func (d *Daemon) listAuthorities(_ context.Context, req *vici.Request) *vici.Message {
	filter, byName := argString(req.Message, "name")
	for _, a := range d.auths.Snapshot() {
		if byName && a.Name != filter {
			continue
		}
		ev := vici.NewMessage()
		s := ev.AddSection(a.Name).Set("cacert", creds.SubjectDN(a.Cert)).
			SetList("crl_uris", a.CRLURIs).SetList("ocsp_uris", a.OCSPURIs)
		if a.CertURIBase != "" {
			s.Set("cert_uri_base", a.CertURIBase)
		}
		if !req.Emit("list-authority", ev) {
			break
		}
	}
	return vici.NewMessage()
}
