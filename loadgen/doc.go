// Package loadgen drives a VICI daemon with many concurrent govici clients
// and then checks that the daemon holds exactly what the clients left it.
//
// Each client owns its own pool and connection names, so it can predict
// every reply: it loads, reloads and unloads pools, loads and unloads
// connections, queries both, and now and then opens a separate connection
// to send a garbage frame. Any reply that differs from the prediction is an
// error. At the end the daemon's pools and connections are compared with
// the union of what the clients did, and its runtime figures (from the
// charond section of the stats reply) are taken before and after.
package loadgen
