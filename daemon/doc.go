// Package daemon answers charond's VICI commands: each command family (pools,
// connections, credentials, queries) lives in its own file and turns request
// messages into calls on the domain stores, and their results and errors into
// reply messages with strongSwan's keys and error strings.
package daemon
