package ike

import (
	"strconv"
	"strings"
)

var payloadNames = map[PayloadType]string{
	PayloadSA: "SA", PayloadKE: "KE", PayloadIDi: "IDi", PayloadIDr: "IDr",
	PayloadCERT: "CERT", PayloadCERTREQ: "CERTREQ", PayloadAUTH: "AUTH",
	PayloadNonce: "No", PayloadNotify: "N", PayloadDelete: "D", PayloadVendor: "V",
	PayloadTSi: "TSi", PayloadTSr: "TSr", PayloadSK: "SK", PayloadCP: "CP",
	PayloadEAP: "EAP",
}

// describe lists payloads the way strongSwan logs them: `SA KE No N(COOKIE)`.
func describe(ps []Payload) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		if n, ok := p.(*Notify); ok {
			b.WriteString("N(" + n.NType.String() + ")")
			continue
		}
		if cp, ok := p.(*CP); ok {
			b.WriteString(cpText(cp))
			continue
		}
		if s, ok := payloadNames[p.Type()]; ok {
			b.WriteString(s)
		} else {
			b.WriteString("UNKNOWN_" + itoa(uint32(p.Type())))
		}
	}
	return b.String()
}

func itoa(n uint32) string { return strconv.FormatUint(uint64(n), 10) }

var attrNames = map[uint16]string{
	AttrIP4Address: "ADDR", 2: "MASK", AttrIP4DNS: "DNS", 4: "NBNS", 7: "VER",
	AttrIP6Address: "ADDR6", AttrIP6DNS: "DNS6", 13: "SUBNET", 15: "SUBNET6",
}

// cpText prints a configuration payload as strongSwan does:
// CPRQ(ADDR ADDR6 DNS DNS6).
func cpText(cp *CP) string {
	s := "CP"
	switch cp.CfgType {
	case CfgRequest:
		s = "CPRQ"
	case CfgReply:
		s = "CPRP"
	}
	var names []string
	for _, a := range cp.Attrs {
		n, ok := attrNames[a.Type]
		if !ok {
			n = "UNKNOWN_" + itoa(uint32(a.Type))
		}
		names = append(names, n)
	}
	return s + "(" + strings.Join(names, " ") + ")"
}
