// Package settings reads what charond takes from strongswan.conf: the VICI
// socket of the `charon` section, so that an existing strongswan.conf works
// unchanged, and charond's own `charond` section (log level and the limits
// that protect the daemon from its clients).
package settings
