// Package kernel installs what an IKE initiator receives from its gateway
// on the local host: virtual IP addresses, source routes that make traffic
// to the remote traffic selectors leave from those addresses, and DNS
// servers.
//
// Kernel is the narrow interface to the operating system. Netlink
// implements it on Linux with github.com/vishvananda/netlink; Fake keeps
// the same state in memory for the layers above. Every address, route and
// rule charond adds carries the protocol number Protocol (IFA_PROTO for
// addresses, RTPROT for routes and rules), so Flush finds and removes the
// leftovers of a daemon that crashed, and nothing installed by anyone else
// is touched.
//
// Manager sits on a Kernel and a DNS handler. It chooses the interface and
// the routing table (charon.install_virtual_ip_on, charon.routing_table,
// charon.routing_table_prio), remembers what it installed under each
// IKE_SA's name, and removes it again on Remove and Close. ResolvFile and
// Resolvconf hand DNS servers to a file or to resolvconf(8).
package kernel
