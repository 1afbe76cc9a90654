package vici

import (
	"net"
	"os"
	"syscall"
)

// peerUID returns the user ID of the process at the other end of a unix
// socket, or -1 where there is none (tcp://), it cannot be read, or it is
// root or the daemon's own user, who are not held to a share.
func peerUID(conn net.Conn) int {
	uc, ok := conn.(*net.UnixConn)
	if !ok {
		return -1
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return -1
	}
	uid := -1
	raw.Control(func(fd uintptr) {
		cred, err := syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
		if err == nil {
			uid = int(cred.Uid)
		}
	})
	if uid == 0 || uid == os.Getuid() {
		return -1
	}
	return uid
}

// userShare is how many of MaxClients one user other than root may hold:
// three quarters, so that one user in the socket's group who opens idle
// connections (which may stay: monitors wait for events) leaves places for
// everyone else.
func userShare(maxClients int) int { return max(1, maxClients*3/4) }
