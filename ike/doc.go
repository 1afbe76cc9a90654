// Package ike is an IKEv2 responder (RFC 7296): the message codec, the
// transforms and key derivation, and the exchanges a road-warrior gateway
// answers — IKE_SA_INIT, IKE_AUTH with pre-shared keys, a CHILD_SA set up in
// IKE_AUTH with virtual IPs handed out over configuration payloads, and
// INFORMATIONAL (delete and liveness).
//
// The package owns no configuration. A Server asks four small interfaces for
// what it needs: Configs (which connection fits a peer), Secrets (the PSK of a
// pair of identities), Allocator (virtual IP leases and their attributes) and
// Dataplane (installing negotiated CHILD_SAs). The daemon adapts its stores to
// them; tests use in-memory versions.
//
// Layers are kept apart: message.go and payload*.go only move bytes,
// crypto*.go only compute, and the exchange files (init.go, auth.go, info.go)
// hold the protocol state of one IKE_SA under that SA's lock.
package ike
