package ike

import "encoding/binary"

// handleInformational answers INFORMATIONAL requests: deletes of the IKE_SA
// or of CHILD_SAs, and empty liveness checks.
func (sa *ikeSA) handleInformational(req []Payload) ([]Payload, func()) {
	log := sa.srv.log
	var resp []Payload
	for _, p := range req {
		d, ok := p.(*Delete)
		if !ok {
			continue
		}
		switch d.Protocol {
		case ProtoIKE:
			log.Info("received DELETE for IKE_SA "+sa.name(), "ike_sa", sa.name())
			log.Info("IKE_SA deleted", "ike_sa", sa.name())
			// The response is empty and must still be encrypted, so the
			// SA goes only after it is built.
			return nil, sa.destroy
		case ProtoESP, ProtoAH:
			if r := sa.deleteChildren(d); r != nil {
				resp = append(resp, r)
			}
		}
	}
	return resp, func() {}
}

// deleteChildren removes the CHILD_SAs whose outbound SPIs the peer lists
// and returns the delete payload naming our inbound SPIs.
func (sa *ikeSA) deleteChildren(d *Delete) *Delete {
	if d.SPISize != 4 {
		return nil
	}
	out := &Delete{Protocol: d.Protocol, SPISize: 4}
	for _, spi := range d.SPIs {
		v := binary.BigEndian.Uint32(spi)
		for i, c := range sa.children {
			if c.SPIOut != v {
				continue
			}
			sa.srv.log.Info("received DELETE for ESP CHILD_SA with SPI "+spiText(v),
				"ike_sa", sa.name())
			if err := sa.srv.opt.Dataplane.Remove(c); err != nil {
				sa.srv.log.Error("removing CHILD_SA failed", "child", c.Name, "err", err)
			}
			out.SPIs = append(out.SPIs, binary.BigEndian.AppendUint32(nil, c.SPIIn))
			sa.childUpDown(c, false)
			sa.children = append(sa.children[:i], sa.children[i+1:]...)
			break
		}
	}
	if len(out.SPIs) == 0 {
		return nil
	}
	return out
}
