package cli

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/charond/charond/vici"
)

var cmdLog = &command{
	name: "log", short: 'T', desc: "trace logging output",
	usage: "--log " + rawPretty,
	opts:  []option{optHelp, optRaw, optPretty},
	run: func(e *env) int {
		return e.monitor([]string{"log"}, func(_ string, m *vici.Message) {
			if e.format != formatText {
				dump(e.stdout, "log", m, e.format)
				return
			}
			for _, line := range strings.Split(str(m, "msg"), "\n") {
				fmt.Fprintf(e.stdout, "%02s[%s] %s\n", str(m, "thread"), str(m, "group"), line)
			}
		})
	},
}

var cmdMonitorSA = &command{
	name: "monitor-sa", short: 'm', desc: "monitor for IKE_SA and CHILD_SA changes",
	usage: "--monitor-sa " + rawPretty,
	opts:  []option{optHelp, optRaw, optPretty},
	run: func(e *env) int {
		return e.monitor([]string{"ike-updown", "child-updown"},
			func(name string, m *vici.Message) {
				if e.format != formatText {
					dump(e.stdout, name+" event", m, e.format)
					return
				}
				writeSAs(e.stdout, m)
			})
	},
}

// monitor shows events until SIGINT or SIGTERM. A daemon that goes away
// ends it with ECONNRESET, as strongSwan 6.0's swanctl does.
func (e *env) monitor(events []string, each func(string, *vici.Message)) int {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	go func() {
		if _, ok := <-sigs; ok {
			close(done)
		}
	}()
	err := e.client.listen(events, done, each)
	switch {
	case err == nil:
		fmt.Fprintln(e.stderr, "disconnecting...")
		return 0
	case errors.Is(err, errUnknownEvent):
		fmt.Fprintf(e.stderr, "registering for %s events failed: %s\n",
			strings.Join(events, ", "), strerror(errnoOf(err)))
		return int(errnoOf(err))
	}
	fmt.Fprintln(e.stderr, "connection closed")
	return int(syscall.ECONNRESET)
}
