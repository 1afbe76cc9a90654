package conn

import (
	"slices"
	"strings"
)

// parseAction reads none/clear, trap/route, start/restart, or trap and
// start joined by "|" in either order.
func parseAction(v string) (Action, bool) {
	words := strings.Split(strings.ToLower(v), "|")
	var a Action
	for _, w := range words {
		switch w {
		case "none", "clear":
			if len(words) > 1 {
				return 0, false
			}
		case "trap", "route":
			a |= ActionTrap
		case "start", "restart":
			a |= ActionStart
		default:
			return 0, false
		}
	}
	return a, true
}

func actionOpt(f func(c *Child) *Action) option[Child] {
	return kvOpt(func(c *Child, v string) bool {
		a, ok := parseAction(v)
		*f(c) = a
		return ok
	})
}

func bytesOpt(f func(c *Child) *uint64) option[Child] {
	return kvOpt(func(c *Child, v string) bool {
		n, ok := parseBytes(v)
		*f(c) = n
		return ok
	})
}

func u64Opt(f func(c *Child) *uint64) option[Child] {
	return kvOpt(func(c *Child, v string) bool {
		n, ok := parseUint(v)
		*f(c) = n
		return ok
	})
}

func markOpt(set bool, f func(c *Child) *Mark) option[Child] {
	return kvOpt(func(c *Child, v string) bool {
		m, ok := parseMark(v, set)
		*f(c) = m
		return ok
	})
}

func tsOpt(f func(c *Child) *[]TS) option[Child] {
	return listOpt(func(c *Child, items []string) bool {
		*f(c) = nil
		for _, it := range items {
			ts, err := ParseTS(it)
			if err != nil {
				return false
			}
			*f(c) = append(*f(c), ts)
		}
		return true
	})
}

func proposalsOpt(f func(c *Child) *[]string) option[Child] {
	return listOpt(func(c *Child, items []string) bool {
		*f(c) = slices.Clone(items)
		return !slices.ContainsFunc(items, func(p string) bool { return !validProposal(p) })
	})
}

var childOpts = map[string]option[Child]{
	"ah_proposals":  proposalsOpt(func(c *Child) *[]string { return &c.AHProposals }),
	"esp_proposals": proposalsOpt(func(c *Child) *[]string { return &c.ESPProposals }),
	"local_ts":      tsOpt(func(c *Child) *[]TS { return &c.LocalTS }),
	"remote_ts":     tsOpt(func(c *Child) *[]TS { return &c.RemoteTS }),
	"rekey_time":    kvOpt(func(c *Child, v string) bool { return timeInto(&c.RekeyTime, v) }),
	"life_time":     kvOpt(func(c *Child, v string) bool { return timeInto(&c.LifeTime, v) }),
	"rand_time":     kvOpt(func(c *Child, v string) bool { return timeInto(&c.RandTime, v) }),
	"rekey_bytes":   bytesOpt(func(c *Child) *uint64 { return &c.RekeyBytes }),
	"life_bytes":    bytesOpt(func(c *Child) *uint64 { return &c.LifeBytes }),
	"rand_bytes":    bytesOpt(func(c *Child) *uint64 { return &c.RandBytes }),
	"rekey_packets": u64Opt(func(c *Child) *uint64 { return &c.RekeyPackets }),
	"life_packets":  u64Opt(func(c *Child) *uint64 { return &c.LifePackets }),
	"rand_packets":  u64Opt(func(c *Child) *uint64 { return &c.RandPackets }),
	"updown":        strOpt(func(c *Child) *string { return &c.Updown }),
	"hostaccess":    boolOpt(func(c *Child) *bool { return &c.Hostaccess }),
	"mode": enumOpt(func(c *Child) *string { return &c.Mode },
		"tunnel", "transport", "transport_proxy", "beet", "pass", "drop", "iptfs"),
	"policies":         boolOpt(func(c *Child) *bool { return &c.Policies }),
	"policies_fwd_out": boolOpt(func(c *Child) *bool { return &c.PoliciesFwdOut }),
	"dpd_action":       actionOpt(func(c *Child) *Action { return &c.DPDAction }),
	"ipcomp":           boolOpt(func(c *Child) *bool { return &c.IPComp }),
	"inactivity":       kvOpt(func(c *Child, v string) bool { return timeInto(&c.Inactivity, v) }),
	"reqid":            u32Opt(func(c *Child) *uint32 { return &c.Reqid }),
	"priority":         u32Opt(func(c *Child) *uint32 { return &c.Priority }),
	"interface":        strOpt(func(c *Child) *string { return &c.Interface }),
	"mark_in":          markOpt(false, func(c *Child) *Mark { return &c.MarkIn }),
	"mark_out":         markOpt(false, func(c *Child) *Mark { return &c.MarkOut }),
	"mark_in_sa":       boolOpt(func(c *Child) *bool { return &c.MarkInSA }),
	"set_mark_in":      markOpt(true, func(c *Child) *Mark { return &c.SetMarkIn }),
	"set_mark_out":     markOpt(true, func(c *Child) *Mark { return &c.SetMarkOut }),
	"if_id_in":         ifIDOpt(func(c *Child) *IfID { return &c.IfIDIn }),
	"if_id_out":        ifIDOpt(func(c *Child) *IfID { return &c.IfIDOut }),
	"label":            strOpt(func(c *Child) *string { return &c.Label }),
	// selinux needs a kernel with SELinux labels; Debian's build refuses it
	"label_mode": enumOpt(func(c *Child) *string { return &c.LabelMode }, "system", "simple"),
	"tfc_padding": kvOpt(func(c *Child, v string) bool {
		if strings.EqualFold(v, "mtu") {
			c.TFCPadding = 0xffffffff
			return true
		}
		n, ok := parseUint32(v)
		c.TFCPadding = n
		return ok
	}),
	"replay_window": u32Opt(func(c *Child) *uint32 { return &c.ReplayWindow }),
	"per_cpu_sas": kvOpt(func(c *Child, v string) bool {
		if strings.EqualFold(v, "encap") {
			c.PerCPUSAs = "encap"
			return true
		}
		b, ok := parseBool(v)
		c.PerCPUSAs = map[bool]string{true: "yes", false: "no"}[b]
		return ok
	}),
	"hw_offload": kvOpt(func(c *Child, v string) bool {
		if i, ok := parseEnum(v, "auto", "crypto", "packet"); ok {
			c.HWOffload = []string{"auto", "crypto", "packet"}[i]
			return true
		}
		b, ok := parseBool(v)
		c.HWOffload = map[bool]string{true: "yes", false: "no"}[b]
		return ok
	}),
	"copy_df":  boolOpt(func(c *Child) *bool { return &c.CopyDF }),
	"copy_ecn": boolOpt(func(c *Child) *bool { return &c.CopyECN }),
	"copy_dscp": enumOpt(func(c *Child) *string { return &c.CopyDSCP },
		"out", "in", "yes", "no"),
	"icmp":         boolOpt(func(c *Child) *bool { return &c.ICMP }),
	"sha256_96":    boolOpt(func(c *Child) *bool { return &c.SHA256_96 }),
	"start_action": actionOpt(func(c *Child) *Action { return &c.StartAction }),
	"close_action": actionOpt(func(c *Child) *Action { return &c.CloseAction }),
}

func timeInto(p *uint64, v string) bool {
	n, ok := parseTime(v)
	*p = n
	return ok
}

// parseChildren reads the children section. Key/values directly in it and
// sections nested inside a child are ignored, as strongSwan 5.9.8 does.
func parseChildren(c *Config, entries []Entry) error {
	for _, e := range entries {
		if e.Kind != KindSection {
			continue
		}
		ch := Child{
			Name: e.Name, Mode: "tunnel", Policies: true, ReplayWindow: 32,
			PerCPUSAs: "no", HWOffload: "no", CopyDF: true, CopyECN: true,
			CopyDSCP: "out", LabelMode: "system",
		}
		set := map[string]bool{}
		for _, kv := range e.Section {
			if kv.Kind == KindSection {
				continue
			}
			if err := applyOption(childOpts, &ch, kv); err != nil {
				return err
			}
			set[kv.Name] = true
		}
		ch.applyDefaults(set)
		if old := c.Child(ch.Name); old != nil {
			*old = ch
		} else {
			c.Children = append(c.Children, ch)
		}
	}
	return nil
}

// applyDefaults fills lifetimes as 5.9.8 does: the rekey values keep their
// defaults even when only the life values are set.
func (ch *Child) applyDefaults(set map[string]bool) {
	if !set["rekey_time"] {
		ch.RekeyTime = defaultChildRekey
	}
	if !set["local_ts"] {
		ch.LocalTS = []TS{{Dynamic: true, ToPort: 0xffff}}
	}
	if !set["remote_ts"] {
		ch.RemoteTS = []TS{{Dynamic: true, ToPort: 0xffff}}
	}
	if !set["esp_proposals"] && !set["ah_proposals"] {
		ch.ESPProposals = []string{"default"}
	}
	lifetimes := []struct {
		rekey, life, rand *uint64
		name              string
	}{
		{&ch.RekeyTime, &ch.LifeTime, &ch.RandTime, "time"},
		{&ch.RekeyBytes, &ch.LifeBytes, &ch.RandBytes, "bytes"},
		{&ch.RekeyPackets, &ch.LifePackets, &ch.RandPackets, "packets"},
	}
	for _, l := range lifetimes {
		if !set["life_"+l.name] {
			*l.life = *l.rekey * 110 / 100
		}
		if !set["rand_"+l.name] && *l.life > *l.rekey {
			*l.rand = *l.life - *l.rekey
		}
	}
}
