package daemon

import (
	"fmt"
	"sync"

	"github.com/charond/charond/ike"
	"github.com/charond/charond/kernel"
)

// XFRMDataplane installs CHILD_SAs as kernel XFRM states and policies.
type XFRMDataplane struct {
	X *kernel.XFRM

	mu   sync.Mutex // guards byID
	byID map[uint32]*kernel.ESP
}

var xfrmEncr = map[uint16]string{ike.EncrAESCBC: "cbc(aes)", ike.EncrAESGCM16: "rfc4106(gcm(aes))"}

var xfrmInteg = map[uint16]struct {
	name string
	bits int
}{
	ike.IntegSHA256128: {"hmac(sha256)", 128},
	ike.IntegSHA384192: {"hmac(sha384)", 192},
	ike.IntegSHA512256: {"hmac(sha512)", 256},
}

func espOf(c *ike.ChildSA) (*kernel.ESP, error) {
	e := &kernel.ESP{Local: c.Local, Remote: c.Remote, Encap: c.Encap, SPIIn: c.SPIIn,
		SPIOut: c.SPIOut, EncrIn: c.EncrIn, EncrOut: c.EncrOut, IntegIn: c.IntegIn,
		IntegOut: c.IntegOut, ESN: c.ESN, Transport: c.Transport, Reqid: int(c.Unique)}
	var ok bool
	if e.Encr, ok = xfrmEncr[c.Encr]; !ok {
		return nil, fmt.Errorf("daemon: no XFRM name for encryption %d", c.Encr)
	}
	if c.Encr == ike.EncrAESGCM16 {
		e.ICVBits = 128
	} else if in, ok := xfrmInteg[c.Integ]; ok {
		e.Integ, e.IntegBits = in.name, in.bits
	} else {
		return nil, fmt.Errorf("daemon: no XFRM name for integrity %d", c.Integ)
	}
	for _, s := range c.LocalTS {
		e.LocalTS = append(e.LocalTS, s.Prefixes()...)
	}
	for _, s := range c.RemoteTS {
		e.RemoteTS = append(e.RemoteTS, s.Prefixes()...)
	}
	return e, nil
}

// Install adds the CHILD_SA's states and policies; an error fails the
// CHILD_SA, and nothing of it stays in the kernel.
func (x *XFRMDataplane) Install(c *ike.ChildSA) error {
	e, err := espOf(c)
	if err != nil {
		return err
	}
	if err := x.X.Install(e); err != nil {
		return err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.byID == nil {
		x.byID = map[uint32]*kernel.ESP{}
	}
	x.byID[c.Unique] = e
	return nil
}

// Remove deletes what Install added for the CHILD_SA.
func (x *XFRMDataplane) Remove(c *ike.ChildSA) error {
	x.mu.Lock()
	e := x.byID[c.Unique]
	delete(x.byID, c.Unique)
	x.mu.Unlock()
	if e == nil {
		return nil
	}
	return x.X.Remove(e)
}
