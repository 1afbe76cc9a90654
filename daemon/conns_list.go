package daemon

import (
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/charond/charond/conn"
	"github.com/charond/charond/vici"
)

// authMessage fills a local-N/remote-N section. strongSwan lists the
// settings that may occur once newest first, then revocation and ca_id in
// the order they were set, then the lists.
func authMessage(m *vici.Message, a *conn.Auth) {
	for _, r := range slices.Backward(a.Rules) {
		if r != conn.RuleRevocation && r != conn.RuleCAID {
			m.Set(string(r), authRuleValue(a, r))
		}
	}
	for _, r := range a.Rules {
		if r == conn.RuleRevocation || r == conn.RuleCAID {
			m.Set(string(r), authRuleValue(a, r))
		}
	}
	groups := make([]string, len(a.Groups))
	for i, g := range a.Groups {
		groups[i] = conn.NormalizeID(g)
	}
	list(m, "groups", groups)
	list(m, "cert_policy", a.CertPolicy)
	list(m, "certs", certSubjects(a.Certs))
	list(m, "cacerts", certSubjects(a.CACerts))
}

func authRuleValue(a *conn.Auth, r conn.Rule) string {
	switch r {
	case conn.RuleClass:
		return string(a.Class)
	case conn.RuleEAPType:
		return conn.EAPTypeName(a.EAPType)
	case conn.RuleEAPVendor:
		return strconv.FormatUint(uint64(a.EAPVendor), 10)
	case conn.RuleXAuth:
		return a.XAuthBackend
	case conn.RuleRevocation:
		if a.Revocation == "strict" {
			return "GOOD"
		}
		return "SKIPPED"
	case conn.RuleID:
		return a.ID
	case conn.RuleCAID:
		return a.CAID
	case conn.RuleAAAID:
		return a.AAAID
	case conn.RuleEAPID:
		return a.EAPID
	case conn.RuleXAuthID:
		return a.XAuthID
	}
	return ""
}

func certSubjects(certs []conn.Cert) []string {
	out := make([]string, len(certs))
	for i, c := range certs {
		out[i] = c.Subject
	}
	return out
}

// childMessage fills one child section of a list-conn event.
func childMessage(m *vici.Message, ch *conn.Child) {
	kv(m, "mode", strings.ToUpper(ch.Mode))
	if ch.Label != "" {
		// 5.9.8 prints a label's encoding: the string with its NUL, in hex
		kv(m, "label", hex.EncodeToString(append([]byte(ch.Label), 0)))
	}
	kv(m, "rekey_time", strconv.FormatUint(ch.RekeyTime, 10))
	kv(m, "rekey_bytes", strconv.FormatUint(ch.RekeyBytes, 10))
	kv(m, "rekey_packets", strconv.FormatUint(ch.RekeyPackets, 10))
	kv(m, "dpd_action", ch.DPDAction.String())
	kv(m, "close_action", ch.CloseAction.String())
	list(m, "local-ts", tsStrings(ch.LocalTS))
	list(m, "remote-ts", tsStrings(ch.RemoteTS))
	if ch.Interface != "" {
		kv(m, "interface", ch.Interface)
	}
	if ch.Priority != 0 {
		kv(m, "priority", strconv.FormatUint(uint64(ch.Priority), 10))
	}
}

func tsStrings(ts []conn.TS) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.String()
	}
	return out
}
