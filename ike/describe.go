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
		if s, ok := payloadNames[p.Type()]; ok {
			b.WriteString(s)
		} else {
			b.WriteString("UNKNOWN_" + itoa(uint32(p.Type())))
		}
	}
	return b.String()
}

func itoa(n uint32) string { return strconv.FormatUint(uint64(n), 10) }
