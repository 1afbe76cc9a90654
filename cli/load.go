package cli

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/charond/charond/config"
	"github.com/charond/charond/vici"
)

// loadKind describes one family of swanctl.conf items that a --load-*
// command reconciles with what the daemon has loaded.
type loadKind struct {
	what     string // singular in messages: "pool"
	plural   string // in the summary: "pools"
	get      string // query for the loaded names
	load     string
	unload   string
	existing func(reply *vici.Message) []string
}

var (
	kindPools = loadKind{what: "pool", plural: "pools", get: "get-pools",
		load: "load-pool", unload: "unload-pool",
		existing: func(m *vici.Message) []string { return m.Keys() }}
	kindConns = loadKind{what: "connection", plural: "connections", get: "get-conns",
		load: "load-conn", unload: "unload-conn",
		existing: func(m *vici.Message) []string { l, _ := m.List("conns"); return l }}
	kindAuthorities = loadKind{what: "authority", plural: "authorities",
		get: "get-authorities", load: "load-authority", unload: "unload-authority",
		existing: func(m *vici.Message) []string {
			l, _ := m.List("authorities")
			return l
		}}
)

// succeeded reports whether a reply says success=yes.
func succeeded(m *vici.Message) bool {
	v, _ := m.Get("success")
	return v == "yes"
}

func errmsg(m *vici.Message) string {
	v, _ := m.Get("errmsg")
	return v
}

// queryFailed reports a query reply with success=no, which charond sends
// when the answer does not fit in a VICI message (charon never does): the
// names are unknown then, so nothing must be unloaded.
func (e *env) queryFailed(cmd string, m *vici.Message) bool {
	if v, ok := m.Get("success"); !ok || v != "no" {
		return false
	}
	fmt.Fprintf(e.stderr, "%s failed: %s\n", cmd, errmsg(m))
	return true
}

// itemFailure is the line swanctl prints for an item it could not build.
func itemFailure(err error) string {
	var fe *config.FileError
	if errors.As(err, &fe) {
		return fe.Message()
	}
	return err.Error()
}

// reconcile loads every item, then unloads what the daemon had and the
// file lacks, and prints swanctl's summary. It returns the exit code.
func (e *env) reconcile(k loadKind, items []config.Item) int {
	var existing []string
	if reply, err := e.client.call(k.get, nil); err == nil {
		if e.format != formatText {
			dump(e.stdout, k.get+" reply", reply, e.format)
		}
		if e.queryFailed(k.get, reply) {
			return int(syscall.EINVAL)
		}
		existing = k.existing(reply)
	}
	found, loaded := len(items), 0
	inFile := make(map[string]bool, len(items))
	var good []config.Item // those built, in file order
	for _, it := range items {
		inFile[it.Name] = true
		if it.Err == nil {
			good = append(good, it)
		}
	}
	// Items that could not be built are reported where they stand, between
	// the replies of their neighbours, as one call per item would.
	next := 0
	e.client.pipeline(k.load, len(good), func(i int) *vici.Message { return good[i].Message },
		func(i int, reply *vici.Message, err error) {
			for ; items[next].Err != nil; next++ {
				fmt.Fprintln(e.stderr, itemFailure(items[next].Err))
			}
			next++
			if e.loaded(k, good[i].Name, reply, err) {
				loaded++
			}
		})
	for ; next < len(items); next++ {
		fmt.Fprintln(e.stderr, itemFailure(items[next].Err))
	}
	var gone []string
	for _, name := range existing {
		// a set, not a search per item: reloading 10,000 connections
		// was quadratic
		if !inFile[name] {
			gone = append(gone, name)
		}
	}
	unloaded := 0
	e.client.pipeline(k.unload, len(gone),
		func(i int) *vici.Message { return vici.NewMessage().Set("name", gone[i]) },
		func(i int, reply *vici.Message, err error) {
			if e.unloaded(k, gone[i], reply, err) {
				unloaded++
			}
		})
	if e.format != formatText {
		return 0
	}
	switch {
	case found == 0:
		fmt.Fprintf(e.stdout, "no %s found, %d unloaded\n", k.plural, unloaded)
	case loaded == found:
		fmt.Fprintf(e.stdout, "successfully loaded %d %s, %d unloaded\n",
			loaded, k.plural, unloaded)
	default:
		fmt.Fprintf(e.stderr, "loaded %d of %d %s, %d failed to load, %d unloaded\n",
			loaded, found, k.plural, found-loaded, unloaded)
		return int(syscall.EINVAL)
	}
	return 0
}

// loaded prints the outcome of loading one item and reports its success.
func (e *env) loaded(k loadKind, name string, reply *vici.Message, err error) bool {
	if err != nil {
		e.requestFailed(k.load, err)
		return false
	}
	if e.format != formatText {
		dump(e.stdout, k.load+" reply", reply, e.format)
		return true
	}
	if !succeeded(reply) {
		fmt.Fprintf(e.stderr, "loading %s '%s' failed: %s\n", k.what, name, errmsg(reply))
		return false
	}
	fmt.Fprintf(e.stdout, "loaded %s '%s'\n", k.what, name)
	return true
}

// unloaded prints the outcome of unloading one item and reports its success.
func (e *env) unloaded(k loadKind, name string, reply *vici.Message, err error) bool {
	if err != nil {
		e.requestFailed(k.unload, err)
		return false
	}
	if e.format != formatText {
		dump(e.stdout, k.unload+" reply", reply, e.format)
		return true
	}
	if !succeeded(reply) {
		fmt.Fprintf(e.stderr, "unloading %s '%s' failed: %s\n", k.what, name, errmsg(reply))
		return false
	}
	return true
}

// remove drops the first occurrence of name from list.
func remove(list []string, name string) []string {
	for i, n := range list {
		if n == name {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}
