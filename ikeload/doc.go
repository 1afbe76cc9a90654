// Package ikeload measures how fast an IKEv2 gateway hands out virtual IP
// leases. It builds a pair of network namespaces joined by a veth pair
// (192.0.2.1 for the gateway, 192.0.2.2 for the clients), starts a gateway
// (charond or Debian's charon) in one and a client daemon (charond or
// charon) in the other, loads N client connections with distinct
// identities (user1@example.org ...) into the client over VICI and
// initiates them one after another, or a few at a time. Each initiate's
// control-log stream dates the IKE_AUTH request, so the latency of the
// IKE_AUTH exchange (request generated to CHILD_SA up) is measured apart
// from the whole connect.
//
// Only root can run it; namespaces are named ikeb-<pid>-<n>-{s,c} and
// removed, and the daemons stopped, when a run ends.
package ikeload
