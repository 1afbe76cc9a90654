package config

import (
	"os"
	"path/filepath"
)

// DefaultDir is the base directory when SWANCTL_DIR is not set.
const DefaultDir = "/etc/swanctl"

// Credential folders below the base directory.
const (
	DirX509   = "x509"
	DirX509CA = "x509ca"
	DirPubkey = "pubkey"
)

// BaseDir returns the folder against which swanctl.conf's relative
// credential paths are read. A --file argument makes its folder the base;
// otherwise SWANCTL_DIR, else DefaultDir. An empty SWANCTL_DIR means the
// working directory, returned as ".".
func BaseDir(file string) string {
	if file != "" {
		return filepath.Dir(file)
	}
	dir, ok := os.LookupEnv("SWANCTL_DIR")
	if !ok {
		return DefaultDir
	}
	if dir == "" {
		return "."
	}
	return dir
}

// ConfigFile returns the swanctl.conf to load: file if given, else
// swanctl.conf in BaseDir.
func ConfigFile(file string) string {
	if file != "" {
		return file
	}
	return filepath.Join(BaseDir(""), "swanctl.conf")
}
