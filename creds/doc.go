// Package creds keeps the credentials loaded over VICI: shared secrets (IKE
// pre-shared keys, EAP, XAuth, NTLM passwords and PPKs) with their owner
// identities, certificates and private keys parsed with Go's crypto/x509,
// and certification authorities. It finds the best secret for a pair of
// identities and lists certificates in the order charon lists them.
package creds
