package conn

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"
)

// Default lifetimes (seconds) that strongSwan applies.
const (
	defaultIKERekey   = 14400
	defaultChildRekey = 3600
	defaultPort       = 500
)

// option parses one key of a section; exactly one of kv and list is set,
// and a request carrying the other kind is an unknown option.
type option[T any] struct {
	kv   func(t *T, v string) bool
	list func(t *T, items []string) bool
}

func kvOpt[T any](f func(t *T, v string) bool) option[T] { return option[T]{kv: f} }

func listOpt[T any](f func(t *T, items []string) bool) option[T] {
	return option[T]{list: f}
}

// applyOption runs the parser registered for e, failing as strongSwan does.
func applyOption[T any](opts map[string]option[T], t *T, e Entry) error {
	o, ok := opts[e.Name]
	switch {
	case ok && e.Kind == KindValue && o.kv != nil:
		if !o.kv(t, e.Value) {
			return errInvalid(e.Name)
		}
	case ok && e.Kind == KindList && o.list != nil:
		if !o.list(t, e.Items) {
			return errInvalid(e.Name)
		}
	default:
		return errUnknown(e.Name)
	}
	return nil
}

func strOpt[T any](f func(t *T) *string) option[T] {
	return kvOpt(func(t *T, v string) bool { *f(t) = v; return true })
}

func boolOpt[T any](f func(t *T) *bool) option[T] {
	return kvOpt(func(t *T, v string) bool {
		b, ok := parseBool(v)
		*f(t) = b
		return ok
	})
}

func timeOpt[T any](f func(t *T) *uint64) option[T] {
	return kvOpt(func(t *T, v string) bool {
		n, ok := parseTime(v)
		*f(t) = n
		return ok
	})
}

func u32Opt[T any](f func(t *T) *uint32) option[T] {
	return kvOpt(func(t *T, v string) bool {
		n, ok := parseUint32(v)
		*f(t) = n
		return ok
	})
}

// enumOpt stores the canonical (first listed) lower-case spelling.
func enumOpt[T any](f func(t *T) *string, names ...string) option[T] {
	return kvOpt(func(t *T, v string) bool {
		i, ok := parseEnum(v, names...)
		*f(t) = names[i]
		return ok
	})
}

func strsOpt[T any](f func(t *T) *[]string) option[T] {
	return listOpt(func(t *T, items []string) bool {
		*f(t) = slices.Clone(items)
		return true
	})
}

func ifIDOpt[T any](f func(t *T) *IfID) option[T] {
	return kvOpt(func(t *T, v string) bool {
		id, ok := parseIfID(v)
		*f(t) = id
		return ok
	})
}

func validVip(v string) bool {
	switch v {
	case "%any", "%any6":
		return true
	}
	_, err := netip.ParseAddr(v)
	return err == nil
}

// ikeOpts are the keys of a connection section.
var ikeOpts = map[string]option[Config]{
	"version":     u32Opt(func(c *Config) *uint32 { return &c.Version }),
	"local_addrs": strsOpt(func(c *Config) *[]string { return &c.LocalAddrs }),
	"remote_addrs": strsOpt(func(c *Config) *[]string {
		return &c.RemoteAddrs
	}),
	"local_port":  kvOpt(func(c *Config, v string) bool { return port(&c.LocalPort, v) }),
	"remote_port": kvOpt(func(c *Config, v string) bool { return port(&c.RemotePort, v) }),
	"proposals": listOpt(func(c *Config, items []string) bool {
		c.Proposals = slices.Clone(items)
		return !slices.ContainsFunc(items, func(p string) bool { return !validProposal(p) })
	}),
	"vips": listOpt(func(c *Config, items []string) bool {
		c.Vips = slices.Clone(items)
		return !slices.ContainsFunc(items, func(v string) bool { return !validVip(v) })
	}),
	"aggressive": boolOpt(func(c *Config) *bool { return &c.Aggressive }),
	"pull":       boolOpt(func(c *Config) *bool { return &c.Pull }),
	"dscp": kvOpt(func(c *Config, v string) bool {
		d, ok := parseDSCP(v)
		c.DSCP = d
		return ok
	}),
	"encap":       boolOpt(func(c *Config) *bool { return &c.Encap }),
	"mobike":      boolOpt(func(c *Config) *bool { return &c.Mobike }),
	"dpd_delay":   timeOpt(func(c *Config) *uint64 { return &c.DPDDelay }),
	"dpd_timeout": timeOpt(func(c *Config) *uint64 { return &c.DPDTimeout }),
	"fragmentation": enumOpt(func(c *Config) *string { return &c.Fragmentation },
		"yes", "accept", "no", "force"),
	"childless": enumOpt(func(c *Config) *string { return &c.Childless },
		"allow", "force", "never", "prefer"),
	"send_certreq": boolOpt(func(c *Config) *bool { return &c.SendCertReq }),
	"send_cert": enumOpt(func(c *Config) *string { return &c.SendCert },
		"ifasked", "always", "never"),
	"ocsp": enumOpt(func(c *Config) *string { return &c.OCSP },
		"reply", "never", "request", "both"),
	"ppk_id":       strOpt(func(c *Config) *string { return &c.PPKID }),
	"ppk_required": boolOpt(func(c *Config) *bool { return &c.PPKRequired }),
	"keyingtries":  u32Opt(func(c *Config) *uint32 { return &c.Keyingtries }),
	"unique": enumOpt(func(c *Config) *string { return &c.Unique },
		"no", "never", "keep", "replace"),
	"reauth_time": timeOpt(func(c *Config) *uint64 { return &c.ReauthTime }),
	"rekey_time":  timeOpt(func(c *Config) *uint64 { return &c.RekeyTime }),
	"over_time":   timeOpt(func(c *Config) *uint64 { return &c.OverTime }),
	"rand_time":   timeOpt(func(c *Config) *uint64 { return &c.RandTime }),
	"pools":       strsOpt(func(c *Config) *[]string { return &c.Pools }),
	"if_id_in":    ifIDOpt(func(c *Config) *IfID { return &c.IfIDIn }),
	"if_id_out":   ifIDOpt(func(c *Config) *IfID { return &c.IfIDOut }),
	// TODO: mediated_by and mediation_peer (Debian's 5.9.8 charon crashes
	// on mediated_by, so their exact behaviour could not be observed).
	"mediation": boolOpt(func(c *Config) *bool { return &c.Mediation }),
}

// port reads a port number; like strongSwan, values above 65535 wrap.
func port(p *uint16, v string) bool {
	n, ok := parseUint(v)
	*p = uint16(n)
	return ok
}

// Parse validates a load-conn section named name and returns the
// connection with defaults applied. Entries are checked in order and the
// first failure is returned as *Error.
func Parse(name string, entries []Entry) (*Config, error) {
	c := &Config{
		Name: name, LocalPort: defaultPort, RemotePort: defaultPort, Pull: true,
		Mobike: true, Fragmentation: "yes", Childless: "allow", SendCertReq: true,
		SendCert: "ifasked", OCSP: "reply", Keyingtries: 1, Unique: "no",
	}
	set := map[string]bool{}
	for _, e := range entries {
		if e.Kind != KindSection {
			if err := applyOption(ikeOpts, c, e); err != nil {
				return nil, err
			}
			set[e.Name] = true
			continue
		}
		lower := strings.ToLower(e.Name)
		switch {
		case strings.HasPrefix(lower, "local"):
			a, err := parseAuth(e.Section)
			if err != nil {
				return nil, err
			}
			c.Local = append(c.Local, a)
		case strings.HasPrefix(lower, "remote"):
			a, err := parseAuth(e.Section)
			if err != nil {
				return nil, err
			}
			c.Remote = append(c.Remote, a)
		case lower == "children":
			if err := parseChildren(c, e.Section); err != nil {
				return nil, err
			}
		default:
			return nil, errSection(e.Name)
		}
	}
	c.applyDefaults(set)
	return c, nil
}

func (c *Config) applyDefaults(set map[string]bool) {
	if !set["local_addrs"] {
		c.LocalAddrs = []string{"%any"}
	}
	if !set["remote_addrs"] {
		c.RemoteAddrs = []string{"%any"}
	}
	if !set["proposals"] {
		c.Proposals = []string{"default"}
	}
	if len(c.Local) == 0 {
		c.Local = []Auth{{}}
	}
	if len(c.Remote) == 0 {
		c.Remote = []Auth{{}}
	}
	byRound := func(a, b Auth) int { return cmp.Compare(a.Round, b.Round) }
	slices.SortStableFunc(c.Local, byRound)
	slices.SortStableFunc(c.Remote, byRound)
	if !set["rekey_time"] && !set["reauth_time"] {
		c.RekeyTime = defaultIKERekey
	}
	if !set["over_time"] {
		c.OverTime = max(c.RekeyTime, c.ReauthTime) / 10
	}
	if !set["rand_time"] {
		half := max(c.RekeyTime, c.ReauthTime)
		if c.RekeyTime != 0 && c.ReauthTime != 0 {
			half = min(c.RekeyTime, c.ReauthTime)
		}
		c.RandTime = min(c.OverTime, half/2)
	}
}
