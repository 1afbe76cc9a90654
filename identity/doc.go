// Package identity holds IKE identities typed as IKEv2 ID payloads carry
// them: an ID type and its binary encoding. It parses the identity strings
// operators write (`@fqdn`, `user@host`, addresses, `C=CH, CN=carol`, `%any`)
// and prints identities in the form strongSwan shows in logs and replies.
//
// An Identity is a small comparable value, so it serves directly as a map
// key and can be interned with package unique.
package identity
