// Package tests holds the end-to-end tests: they build charond and swanctl,
// start the daemon on a socket of their own and drive it with the built
// swanctl and with govici, as an operator's tools would.
package tests
