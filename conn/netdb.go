package conn

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"sync"
)

// The system's protocol and service names, read once from /etc, as the
// traffic selector parser and printer of strongSwan use them via libc.
var (
	netdbOnce sync.Once
	protoName map[uint8]string // number -> official name
	protoNum  map[string]uint8 // name or alias -> number
	services  []service        // in file order
)

type service struct {
	names []string // official name first
	port  uint16
	proto string
}

func loadNetdb() {
	protoName = map[uint8]string{}
	protoNum = map[string]uint8{}
	eachLine("/etc/protocols", func(f []string) {
		if len(f) < 2 {
			return
		}
		n, err := strconv.ParseUint(f[1], 10, 8)
		if err != nil {
			return
		}
		if _, dup := protoName[uint8(n)]; !dup {
			protoName[uint8(n)] = f[0]
		}
		for _, name := range append([]string{f[0]}, f[2:]...) {
			if _, dup := protoNum[name]; !dup {
				protoNum[name] = uint8(n)
			}
		}
	})
	eachLine("/etc/services", func(f []string) {
		if len(f) < 2 {
			return
		}
		p, proto, ok := strings.Cut(f[1], "/")
		n, err := strconv.ParseUint(p, 10, 16)
		if !ok || err != nil {
			return
		}
		services = append(services, service{
			names: append([]string{f[0]}, f[2:]...), port: uint16(n), proto: proto,
		})
	})
}

func eachLine(path string, fn func([]string)) {
	f, err := os.Open(path)
	if err != nil {
		return // no names: numbers are printed and only numbers parse
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fn(strings.Fields(line))
	}
}

// lookupProto returns the number of a protocol name.
func lookupProto(name string) (uint8, bool) {
	netdbOnce.Do(loadNetdb)
	n, ok := protoNum[name]
	return n, ok
}

// protoString names a protocol number, or returns it in decimal.
func protoString(n uint8) (string, bool) {
	netdbOnce.Do(loadNetdb)
	if s, ok := protoName[n]; ok {
		return s, true
	}
	return strconv.Itoa(int(n)), false
}

// lookupService returns the port of a service name; proto "" matches any.
func lookupService(name, proto string) (uint16, bool) {
	netdbOnce.Do(loadNetdb)
	for _, s := range services {
		if proto != "" && s.proto != proto {
			continue
		}
		for _, n := range s.names {
			if n == name {
				return s.port, true
			}
		}
	}
	return 0, false
}

// serviceName names a port; proto "" matches any protocol.
func serviceName(port uint16, proto string) (string, bool) {
	netdbOnce.Do(loadNetdb)
	for _, s := range services {
		if s.port == port && (proto == "" || s.proto == proto) {
			return s.names[0], true
		}
	}
	return "", false
}
