// Package config reads the settings format shared by swanctl.conf and
// strongswan.conf and turns a swanctl.conf tree into the VICI requests
// (load-pool, load-conn, load-authority, load-shared) that swanctl sends.
//
// # Grammar
//
// A file holds sections (`name { ... }`), settings (`key = value`) and
// include lines (`include pattern`). Values run to the end of the line, a
// comment or a closing brace; their words are joined with one space, and
// quoted parts keep their spaces and understand \n, \r, \t and line
// continuations. `key =` stores a null value that hides an inherited one,
// while `key = ""` stores an empty string. Includes are glob patterns,
// relative to the folder of the including file, parsed in place.
//
// Sections with the same name are merged into the first; a repeated key
// keeps its first position and takes the last value. A section may name
// references (`rw : conn-base, tmpl.child`): absolute dotted paths searched,
// lazily and after the section's own content, at lookup and enumeration.
//
// Unlike strongSwan, which logs a broken file and carries on with an empty
// tree, a syntax error, a missing main file or an unreadable included file
// is an error here; it reads "file:line:column: message". Patterns that
// match nothing only produce warnings, with strongSwan's wording.
//
// # Translation
//
// Pools, Connections, Authorities and Secrets build one request message per
// item, in the shape and order strongSwan's swanctl 5.9.8 produces, reading
// certificate files relative to the base directory (see BaseDir).
package config
