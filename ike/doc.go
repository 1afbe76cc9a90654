// Package ike is IKEv2 (RFC 7296) for a road-warrior gateway and its
// clients: the message codec, the transforms and key derivation, the
// responder's exchanges — IKE_SA_INIT, IKE_AUTH with pre-shared keys, a
// CHILD_SA set up in IKE_AUTH with virtual IPs handed out over
// configuration payloads, CREATE_CHILD_SA (new and rekeyed CHILD_SAs, and
// the peer's rekeying of the IKE_SA) and INFORMATIONAL — and an
// initiator that asks for virtual IPs and installs what it receives.
//
// The package owns no configuration. A Server asks small interfaces for
// what it needs: Configs (which connection fits a peer), Secrets (the PSK
// of a pair of identities), Allocator (virtual IP leases and their
// attributes) and Dataplane (installing negotiated CHILD_SAs); for
// initiating also Initiators (a connection by name) and VirtualIPs
// (installing received VIPs, routes and DNS servers). The daemon adapts its
// stores to them; tests use in-memory versions.
//
// Wiring the initiator into the daemon:
//
//	k, _ := kernel.NewNetlink()
//	vips := kernel.NewManager(kernel.Options{Kernel: k,
//		Interface: install_virtual_ip_on, Table: routing_table,
//		Prio: routing_table_prio, DNS: kernel.NewDNS("", resolve_file, log)})
//	vips.Start() // removes a crashed run's leftovers, adds the rule
//	cc := ike.ConnConfigs{Store: conns}
//	srv := ike.NewServer(ike.Options{Configs: cc, Initiators: cc,
//		VirtualIPs: vips, ...})
//	go srv.Serve(ctx, ip:500, ip:4500) // also the initiator's sockets
//
// VICI initiate calls Initiate(ctx, ike, child, f), terminate calls
// Terminate(ctx, ike, ike-id, f) (which returns matches and terminated),
// rekey calls RekeyChild(ctx, child-id, f); f turns each ControlLog into a
// control-log event. On shutdown: srv.Shutdown(ctx), then vips.Close().
// Errors wrap ErrNotFound (unknown connection, child or SA), ErrFailed (the
// exchange failed; the log says why) or ErrTimeout (no answer). SAs lists
// both roles; Initiator and LocalVIPs tell initiated SAs apart.
//
// Layers are kept apart: message.go and payload*.go only move bytes,
// crypto*.go only compute, and the exchange files (init.go, auth.go,
// info.go for the responder, initiate*.go and terminate.go for requests
// of our own, request.go for sending them) hold the protocol state of one
// IKE_SA under that SA's lock.
package ike
