// Package proxy sits between a VICI client and a daemon, passes every frame
// through unchanged and records each packet, decoded, as one line of text.
// Tests use it to compare what two swanctl implementations send and what a
// daemon answers.
package proxy
