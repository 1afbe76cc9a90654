package tests

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// throwaway creates a system group and a user outside it, both removed when
// the test ends.
func throwaway(t *testing.T) (uid, gid, userGID int, group string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("this test creates a throwaway user and group: run it as root (CI does)")
	}
	name := fmt.Sprintf("hardv%d", os.Getpid()%100000)
	group = name + "g"
	run := func(args ...string) {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	run("groupadd", "--system", group)
	t.Cleanup(func() { exec.Command("groupdel", group).Run() })
	run("useradd", "--system", "--no-create-home", "--user-group", "--shell", "/bin/false", name)
	t.Cleanup(func() { exec.Command("userdel", name).Run() })
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	g, err := user.LookupGroup(group)
	if err != nil {
		t.Fatal(err)
	}
	uid, _ = strconv.Atoi(u.Uid)
	userGID, _ = strconv.Atoi(u.Gid)
	gid, _ = strconv.Atoi(g.Gid)
	return uid, gid, userGID, group
}

// The socket is mode 0660, owned by the configured group: a user outside
// the group cannot connect, the same user with the group can.
func TestHardSocketGroup(t *testing.T) {
	uid, gid, userGID, group := throwaway(t)
	d := startHard(t, "charond { vici { socket_user = 0\n socket_group = "+group+" } }\n",
		"", true)
	fi, err := os.Stat(d.Path)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if fi.Mode().Perm() != 0o660 || int(st.Gid) != gid || st.Uid != 0 {
		t.Fatalf("socket mode %v owner %d:%d, want 0660 0:%d", fi.Mode().Perm(), st.Uid,
			st.Gid, gid)
	}
	// Let the user reach the socket and a copy of swanctl: only the
	// socket's own mode may keep it out.
	for _, dir := range []string{filepath.Dir(d.Path), filepath.Dir(filepath.Dir(d.Path))} {
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(t.TempDir(), "swanctl")
	data, err := os.ReadFile(filepath.Join(binDir, "swanctl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Dir(bin), 0o755)
	os.Chmod(filepath.Dir(filepath.Dir(bin)), 0o755)
	asUser := func(groups ...uint32) (string, error) {
		cmd := exec.Command(bin, "--version", "--daemon", "--uri", d.URI)
		cmd.Env = []string{"STRONGSWAN_CONF=/dev/null"}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{
			Uid: uint32(uid), Gid: uint32(userGID), Groups: groups}}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := asUser(); err == nil || !strings.Contains(out, "Permission denied") {
		t.Fatalf("user outside the group connected: %v\n%s", err, out)
	}
	if out, err := asUser(uint32(gid)); err != nil || !strings.Contains(out, "charond") {
		t.Fatalf("user in the group could not connect: %v\n%s", err, out)
	}
}
