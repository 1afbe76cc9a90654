// Package vici implements the VICI protocol that strongSwan's charon speaks
// on its control socket: the message encoding (ordered key/values, lists and
// nested sections), the packet and frame layers, and a server that answers
// commands and delivers events to many concurrent clients.
//
// A frame is a 4-byte big-endian length followed by that many bytes of
// packet; the first packet byte is its type (CMD_REQUEST, CMD_RESPONSE, ...),
// named packet types carry a 1-byte name length and the name, and the rest is
// a message. The package knows nothing of what commands mean: handlers
// registered on the server give them meaning.
package vici
