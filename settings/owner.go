package settings

import (
	"fmt"
	"os/user"
	"strconv"

	"github.com/charond/charond/config"
)

// socketOwner reads charond.vici.socket_user and socket_group, names or
// numbers, that the socket is chowned to.
func (s *Settings) socketOwner(c config.Section) error {
	if v, ok := c.Get("vici.socket_user"); ok && v != "" {
		uid, err := lookupID(v, func(n string) (string, error) {
			u, err := user.Lookup(n)
			if err != nil {
				return "", err
			}
			return u.Uid, nil
		})
		if err != nil {
			return fmt.Errorf("charond.vici.socket_user: %w", err)
		}
		s.Socket.UID = uid
	}
	if v, ok := c.Get("vici.socket_group"); ok && v != "" {
		gid, err := lookupID(v, func(n string) (string, error) {
			g, err := user.LookupGroup(n)
			if err != nil {
				return "", err
			}
			return g.Gid, nil
		})
		if err != nil {
			return fmt.Errorf("charond.vici.socket_group: %w", err)
		}
		s.Socket.GID = gid
	}
	return nil
}

func lookupID(v string, byName func(string) (string, error)) (int, error) {
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return n, nil
	}
	id, err := byName(v)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(id)
}
