// Package creds keeps the shared secrets loaded over VICI (IKE pre-shared
// keys, EAP, XAuth, NTLM passwords and PPKs) with their owner identities,
// and finds the best secret for a pair of identities.
package creds
