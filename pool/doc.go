// Package pool owns the virtual IP address pools and their leases: it parses
// pool ranges and configuration attributes, keeps the ordered pool table,
// and hands out, takes back and reports leases for peer identities with
// strongSwan's in-memory pool semantics.
//
// A Manager holds all state behind one lock; queries return snapshots. The
// package knows nothing of VICI and does not log: every operation returns
// what happened (including the lines strongSwan would log) so that its
// callers can log and reply.
package pool
