package kernel

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"sync"
)

// DNS takes the DNS servers an IKE_SA received and gives them back.
type DNS interface {
	Add(name string, servers []netip.Addr) error
	Remove(name string) error
}

// NewDNS returns Resolvconf when the resolvconf program exists (command
// is its name or path, empty for "resolvconf"), else a ResolvFile on path
// (charon.plugins.resolve.file). Tests pass a file of their own and a
// command that does not exist.
func NewDNS(command, path string, log *slog.Logger) DNS {
	if command == "" {
		command = "resolvconf"
	}
	if p, err := exec.LookPath(command); err == nil {
		return &Resolvconf{Command: p, Log: log}
	}
	return &ResolvFile{Path: path, Log: log}
}

// fileMark ends each line charond adds to a resolv.conf.
const fileMark = "# by charond"

// ResolvFile adds "nameserver" lines to a resolv.conf-style file and
// removes them again. Lines carry a marker, so Flush finds those of an
// earlier run.
type ResolvFile struct {
	Path string
	Log  *slog.Logger // nil discards

	mu   sync.Mutex // guards byNm and the file
	byNm map[string][]netip.Addr
}

// Add writes a line for each server that is not listed yet.
func (f *ResolvFile) Add(name string, servers []netip.Addr) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	old, err := os.ReadFile(f.Path)
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("kernel: %w", err)
	}
	var add []byte
	for _, s := range servers {
		line := "nameserver " + s.String() + "   " + fileMark
		if bytes.Contains(old, []byte(line+"\n")) || bytes.Contains(add, []byte(line+"\n")) {
			continue
		}
		logInfo(f.Log, "installing DNS server "+s.String()+" to "+f.Path)
		add = append(add, line+"\n"...)
	}
	// Our servers go first, as resolvers ask them in order.
	if err := writeFile(f.Path, append(add, old...)); err != nil {
		return err
	}
	if f.byNm == nil {
		f.byNm = map[string][]netip.Addr{}
	}
	f.byNm[name] = append(f.byNm[name], servers...)
	return nil
}

// Remove deletes the lines added for name.
func (f *ResolvFile) Remove(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	servers := f.byNm[name]
	delete(f.byNm, name)
	drop := map[string]bool{}
	for _, s := range servers {
		logInfo(f.Log, "removing DNS server "+s.String()+" from "+f.Path)
		drop["nameserver "+s.String()+"   "+fileMark] = true
	}
	return f.filter(func(line string) bool { return drop[line] })
}

// Flush deletes every line charond added, as left by a crashed run.
func (f *ResolvFile) Flush() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.filter(func(line string) bool { return strings.HasSuffix(line, fileMark) })
}

func (f *ResolvFile) filter(drop func(string) bool) error {
	old, err := os.ReadFile(f.Path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("kernel: %w", err)
	}
	var out []byte
	changed := false
	for _, line := range strings.SplitAfter(string(old), "\n") {
		if line != "" && drop(strings.TrimSuffix(line, "\n")) {
			changed = true
			continue
		}
		out = append(out, line...)
	}
	if !changed {
		return nil
	}
	return writeFile(f.Path, out)
}

// writeFile replaces path through a temporary file, so readers never see
// half a file.
func writeFile(path string, b []byte) error {
	tmp := path + ".charond"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("kernel: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("kernel: %w", err)
	}
	return nil
}

// Resolvconf hands servers to resolvconf(8) as the interface
// "lo.charond.<name>".
//
// TODO: Flush cannot list resolvconf's interfaces, so servers of a crashed
// run stay registered until resolvconf itself forgets them.
type Resolvconf struct {
	Command string
	Log     *slog.Logger // nil discards
}

func (r *Resolvconf) iface(name string) string {
	return "lo.charond." + strings.NewReplacer("[", "", "]", "").Replace(name)
}

// Add registers the servers under name.
func (r *Resolvconf) Add(name string, servers []netip.Addr) error {
	var in bytes.Buffer
	for _, s := range servers {
		logInfo(r.Log, "installing DNS server "+s.String()+" via resolvconf")
		in.WriteString("nameserver " + s.String() + "\n")
	}
	cmd := exec.Command(r.Command, "-a", r.iface(name))
	cmd.Stdin = &in
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("kernel: resolvconf: %w: %s", err, bytes.TrimSpace(out))
	}
	return nil
}

// Remove unregisters the servers of name.
func (r *Resolvconf) Remove(name string) error {
	logInfo(r.Log, "removing DNS servers of "+name+" via resolvconf")
	out, err := exec.Command(r.Command, "-d", r.iface(name)).CombinedOutput()
	if err != nil {
		return fmt.Errorf("kernel: resolvconf: %w: %s", err, bytes.TrimSpace(out))
	}
	return nil
}

func logInfo(l *slog.Logger, msg string) {
	if l != nil {
		l.Info(msg, "subsys", "knl")
	}
}
