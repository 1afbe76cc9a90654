package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// daemon is one VICI server under test: the real charon or charond.
type daemon struct {
	name   string // column name
	sock   string // socket path
	cmd    *exec.Cmd
	logf   *os.File
	start  func() *exec.Cmd
	theirs string // swanctl of the same project
}

// charonConf is strongswan.conf for the real charon: the lab's plugins,
// logging at charon's default level 1 to a file.
const charonConf = `charon {
  load_modular = no
  load = random nonce aes sha1 sha2 md5 hmac gmp x509 pubkey pem pkcs1 pkcs8 constraints kdf kernel-libipsec kernel-netlink socket-default vici counters openssl
  plugins {
    vici {
      socket = unix://%[1]s/charon.vici
    }
  }
  filelog {
    bench {
      path = %[1]s/charon.log
      time_format = %%H:%%M:%%S
      append = no
      default = 1
      flush_line = yes
    }
  }
  syslog {
    daemon {
      default = -1
    }
  }
}
swanctl {
  load = pem pkcs1 pkcs8 x509 pubkey gmp random nonce aes sha1 sha2 md5 hmac openssl
}
`

func newCharon(run, binary string) (*daemon, error) {
	conf := filepath.Join(run, "strongswan.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(charonConf, run)), 0o644); err != nil {
		return nil, err
	}
	d := &daemon{name: "strongSwan", sock: filepath.Join(run, "charon.vici")}
	d.start = func() *exec.Cmd {
		// charon's pid file path is fixed: give it a /run of its own.
		return exec.Command("unshare", "-m", "--propagation", "private", "sh", "-c",
			`mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF="$0" "$1"`, conf, binary)
	}
	return d, nil
}

func newCharond(run, binary string) *daemon {
	d := &daemon{name: "charond", sock: filepath.Join(run, "charond.vici")}
	d.start = func() *exec.Cmd {
		return exec.Command(binary, "--config", filepath.Join(run, "charond.conf"),
			"--uri", "unix://"+d.sock)
	}
	return d
}

// up starts the daemon and waits until its socket answers.
func (d *daemon) up(run string) error {
	_ = os.Remove(d.sock)
	logf, err := os.OpenFile(filepath.Join(run, strings.ToLower(d.name)+".out"),
		os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	d.logf = logf
	d.cmd = d.start()
	d.cmd.Stdout, d.cmd.Stderr = logf, logf
	if err := d.cmd.Start(); err != nil {
		return err
	}
	for range 100 {
		if c, err := net.Dial("unix", d.sock); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	d.down()
	return fmt.Errorf("%s did not open %s", d.name, d.sock)
}

// down stops the daemon by its pid, SIGKILL after five seconds.
func (d *daemon) down() {
	if d.cmd == nil || d.cmd.Process == nil {
		return
	}
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = d.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = d.cmd.Process.Kill()
		<-done
	}
	d.cmd = nil
	d.logf.Close()
	_ = os.Remove(d.sock) // charon leaves its socket behind
}

// rss is the daemon's resident set in bytes.
func (d *daemon) rss() (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", d.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			v = strings.TrimSuffix(strings.TrimSpace(v), "kB")
			kb, err := strconv.Atoi(strings.TrimSpace(v))
			return float64(kb) * 1024, err
		}
	}
	return 0, errors.New("no VmRSS")
}

// swanctl runs one swanctl command against the daemon and returns its wall
// time; stdout goes to a file, as when an operator redirects it.
func (d *daemon) swanctl(run, binary string, args ...string) (time.Duration, string, error) {
	args = append(args, "--uri", "unix://"+d.sock)
	cmd := exec.Command(binary, args...)
	out, err := os.Create(filepath.Join(run, "swanctl.out"))
	if err != nil {
		return 0, "", err
	}
	defer out.Close()
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = out, &stderr
	cmd.Env = append(os.Environ(), "STRONGSWAN_CONF="+filepath.Join(run, "strongswan.conf"))
	t0 := time.Now()
	err = cmd.Run()
	el := time.Since(t0)
	if err != nil {
		return 0, "", fmt.Errorf("%s %v into %s: %w: %s", binary, args, d.name, err,
			stderr.String())
	}
	last, _ := lastLine(out.Name())
	return el, last, nil
}

func lastLine(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1], nil
}
