package ike

import "encoding/binary"

// NNoAdditionalSAs is the notify refusing further SAs on an IKE_SA.
const NNoAdditionalSAs NotifyType = 35

// NRekeySA marks a CREATE_CHILD_SA request that rekeys a CHILD_SA.
const NRekeySA NotifyType = 16393

// handleCreateChild answers CREATE_CHILD_SA: a new CHILD_SA, the rekeying
// of one (the new SA is set up now; the peer deletes the old one later) or
// the rekeying of the IKE_SA.
func (sa *ikeSA) handleCreateChild(req []Payload) ([]Payload, func()) {
	log := sa.srv.log
	sap, ok := find[*SA](req)
	nonce, ok2 := find[*Nonce](req)
	if !ok || !ok2 {
		return []Payload{&Notify{NType: NInvalidSyntax}}, nil
	}
	for _, p := range sap.Proposals {
		if p.Protocol == ProtoIKE {
			return sa.handleRekeyIKE(sap, req, nonce.Data)
		}
	}
	if n, ok := findNotify(req, NRekeySA); ok && len(n.SPI) == 4 {
		spi := binary.BigEndian.Uint32(n.SPI)
		found := false
		for _, c := range sa.children {
			found = found || c.SPIOut == spi
		}
		if !found {
			log.Info("CHILD_SA to rekey not found, sending CHILD_SA_NOT_FOUND",
				"ike_sa", sa.name(), "spi", spiText(spi))
			return []Payload{&Notify{Protocol: ProtoESP, SPI: n.SPI,
				NType: NChildSANotFound}}, nil
		}
		log.Info("rekeying CHILD_SA with SPI "+spiText(spi), "ike_sa", sa.name())
	}
	nr := sa.srv.random(32)
	resp := sa.negotiateChild(req, nonce.Data, nr)
	if _, isSA := resp[0].(*SA); isSA {
		// The responder's nonce follows the SA payload.
		resp = append([]Payload{resp[0], &Nonce{Data: nr}}, resp[1:]...)
	}
	return resp, nil
}
