package cli

// ac renders an attribute certificate.
// TODO: attribute certificates are not decoded yet: swanctl shows their
// holder, issuer, validity, serial, groups and key ids; until then each one
// is reported on stderr as a certificate that could not be parsed.
func (l *certLister) ac(der []byte) bool { return false }
