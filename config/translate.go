package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charond/charond/vici"
)

// Item is one request to send: a pool, connection, authority or secret.
// Err is set, and Message is nil, when the request could not be built
// (a certificate file is missing); the CLI then reports the item as failed
// to load without sending anything.
type Item struct {
	Name    string
	Type    string // secrets only: eap, xauth, ntlm, ike or ppk
	Message *vici.Message
	Err     error
}

// connListKeys are sent as comma-split lists (matched ignoring case).
var connListKeys = map[string]bool{
	"local_addrs": true, "remote_addrs": true, "proposals": true,
	"esp_proposals": true, "ah_proposals": true, "local_ts": true,
	"remote_ts": true, "vips": true, "pools": true, "groups": true,
	"cert_policy": true,
}

// connFileKeys are lists of file contents, read from the folder named here
// when the key is spelled in lower case.
var connFileKeys = map[string]string{
	"certs": DirX509, "cacerts": DirX509CA, "pubkeys": DirPubkey,
}

// Pools returns one load-pool request per sub-section of "pools", in
// enumeration order: addrs as a key/value, any other key as a list.
// Sub-sections of a pool are not sent.
func Pools(root Section) []Item {
	pools := root.Section("pools")
	var items []Item
	for _, name := range pools.Sections() {
		msg := vici.NewMessage()
		sec := msg.AddSection(name)
		for _, kv := range pools.Section(name).KeyValues() {
			if kv.Key == "addrs" {
				sec.Set(kv.Key, kv.Value)
			} else {
				sec.SetList(kv.Key, splitList(kv.Value))
			}
		}
		items = append(items, Item{Name: name, Message: msg})
	}
	return items
}

// Connections returns one load-conn request per sub-section of
// "connections". Certificate, CA and public key files are read relative to
// baseDir's x509, x509ca and pubkey folders.
func Connections(root Section, baseDir string) []Item {
	conns := root.Section("connections")
	var items []Item
	for _, name := range conns.Sections() {
		msg := vici.NewMessage()
		if err := addConn(msg.AddSection(name), conns.Section(name), baseDir, 0); err != nil {
			items = append(items, Item{Name: name, Err: err})
			continue
		}
		items = append(items, Item{Name: name, Message: msg})
	}
	return items
}

// maxConnDepth bounds the nesting of a connection's sections. References
// can make a section inherit itself (`a { b : connections.a { } }`), which
// would otherwise never end.
const maxConnDepth = 16

// ErrNesting is returned for a connection nested deeper than maxConnDepth.
var ErrNesting = errors.New("config: sections nested too deeply")

// addConn copies s into m: key/values first, then sub-sections.
func addConn(m *vici.Message, s Section, baseDir string, depth int) error {
	if depth > maxConnDepth {
		return fmt.Errorf("%w (more than %d levels)", ErrNesting, maxConnDepth)
	}
	for _, kv := range s.KeyValues() {
		lower := strings.ToLower(kv.Key)
		switch {
		case connListKeys[lower]:
			m.SetList(kv.Key, splitList(kv.Value))
		case connFileKeys[lower] != "":
			dir := ""
			if folder, ok := connFileKeys[kv.Key]; ok {
				dir = baseDir + "/" + folder
			}
			var blobs []string
			for _, tok := range splitList(kv.Value) {
				blob, err := readBlob(kv.Key, tok, dir)
				if err != nil {
					return err
				}
				blobs = append(blobs, blob)
			}
			if blobs == nil {
				blobs = []string{}
			}
			m.SetList(kv.Key, blobs)
		default:
			m.Set(kv.Key, kv.Value)
		}
	}
	for _, name := range s.Sections() {
		if err := addConn(m.AddSection(name), s.Section(name), baseDir, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// FileError reports a credential file that could not be read while
// building a request.
type FileError struct {
	Key  string // certs, cacerts, pubkeys; "ca" for an authority's cacert
	Path string // as swanctl prints it
	Err  error
}

// Message returns the line swanctl prints, without a package prefix.
func (e *FileError) Message() string {
	return fmt.Sprintf("loading %s certificate '%s' failed: %s", e.Key, e.Path, Strerror(e.Err))
}

func (e *FileError) Error() string { return "config: " + e.Message() }

// Unwrap returns the file system error.
func (e *FileError) Unwrap() error { return e.Err }

// readBlob returns an inline 0x/0s blob decoded, or the contents of the
// file tok, relative to dir unless absolute (dir "" means the working
// directory). key names the setting for the FileError.
func readBlob(key, tok, dir string) (string, error) {
	if b, ok := inlineBlob(tok); ok {
		return b, nil
	}
	path := tok
	if dir != "" && !filepath.IsAbs(tok) {
		path = dir + "/" + tok
	}
	data, err := ReadRegular(path, MaxCredFile)
	if err != nil {
		return "", &FileError{Key: key, Path: path, Err: err}
	}
	return string(data), nil
}

// Authorities returns one load-authority request per sub-section of
// "authorities": cacert replaced by the file's contents (from baseDir's
// x509ca folder), crl_uris and ocsp_uris as lists, other keys verbatim.
func Authorities(root Section, baseDir string) []Item {
	auths := root.Section("authorities")
	var items []Item
	for _, name := range auths.Sections() {
		msg := vici.NewMessage()
		sec := msg.AddSection(name)
		var err error
		for _, kv := range auths.Section(name).KeyValues() {
			switch strings.ToLower(kv.Key) {
			case "cacert":
				var blob string
				blob, err = readBlob("ca", kv.Value, baseDir+"/"+DirX509CA)
				sec.Set(kv.Key, blob)
			case "crl_uris", "ocsp_uris":
				sec.SetList(kv.Key, splitList(kv.Value))
			default:
				sec.Set(kv.Key, kv.Value)
			}
			if err != nil {
				break
			}
		}
		if err != nil {
			items = append(items, Item{Name: name, Err: err})
			continue
		}
		items = append(items, Item{Name: name, Message: msg})
	}
	return items
}
