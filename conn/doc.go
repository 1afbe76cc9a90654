// Package conn holds the connection configurations loaded over VICI: it
// parses and validates a load-conn tree into a typed Config (IKE settings,
// authentication rounds, children) with strongSwan's defaults, and keeps the
// loaded configurations in a Store that remembers load order.
//
// The package knows nothing of VICI. Callers hand it a neutral tree of
// Entry values; failures come back as *Error, whose text is the message
// strongSwan's daemon sends to the client.
package conn
