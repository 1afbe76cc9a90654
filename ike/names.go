package ike

import "strings"

// transformNames are strongSwan's names of the transforms implemented here.
var transformNames = map[[2]uint16]string{
	{uint16(TransEncr), EncrAESCBC}:      "AES_CBC",
	{uint16(TransEncr), EncrAESGCM16}:    "AES_GCM_16",
	{uint16(TransInteg), IntegSHA256128}: "HMAC_SHA2_256_128",
	{uint16(TransInteg), IntegSHA384192}: "HMAC_SHA2_384_192",
	{uint16(TransInteg), IntegSHA512256}: "HMAC_SHA2_512_256",
	{uint16(TransPRF), PRFHMACSHA256}:    "PRF_HMAC_SHA2_256",
	{uint16(TransPRF), PRFHMACSHA384}:    "PRF_HMAC_SHA2_384",
	{uint16(TransPRF), PRFHMACSHA512}:    "PRF_HMAC_SHA2_512",
	{uint16(TransDH), GroupMODP2048}:     "MODP_2048",
	{uint16(TransDH), GroupECP256}:       "ECP_256",
	{uint16(TransDH), GroupECP384}:       "ECP_384",
	{uint16(TransDH), GroupCurve25519}:   "CURVE_25519",
	{uint16(TransESN), 0}:                "NO_EXT_SEQ",
	{uint16(TransESN), 1}:                "EXT_SEQ",
}

// proposalText prints a selected proposal as strongSwan logs it:
// IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519.
func proposalText(p Proposal) string {
	proto := "IKE"
	if p.Protocol == ProtoESP {
		proto = "ESP"
	}
	var parts []string
	for _, typ := range []TransformType{TransEncr, TransInteg, TransPRF, TransDH, TransESN} {
		parts = appendNames(parts, p.Transforms, typ)
	}
	return proto + ":" + strings.Join(parts, "/")
}

// appendNames adds the names of the transforms of type typ.
func appendNames(parts []string, ts []Transform, typ TransformType) []string {
	for _, t := range ts {
		if t.Type != typ {
			continue
		}
		n, ok := transformNames[[2]uint16{uint16(t.Type), t.ID}]
		if !ok {
			n = "UNKNOWN_" + itoa(uint32(t.ID))
		}
		if t.KeyLen != 0 {
			n += "_" + itoa(uint32(t.KeyLen))
		}
		parts = append(parts, n)
	}
	return parts
}
