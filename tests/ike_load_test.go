package tests

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/charond/charond/ikeload"
)

// ikeload against both gateways with a few clients, from charond and from
// Debian's charon: every client gets a lease, every IKE_AUTH is dated.
func TestIKELoadBothGateways(t *testing.T) {
	requireReference(t)
	const n = 12
	for _, cli := range []string{ikeload.Charond, ikeload.StrongSwan} {
		for _, gw := range []string{ikeload.Charond, ikeload.StrongSwan} {
			r, err := ikeload.Run(context.Background(), ikeload.Config{Gateway: gw,
				Client: cli, CharondBin: filepath.Join(binDir, "charond"), Clients: n,
				Concurrency: 3, Timeout: 10 * time.Second, Dir: t.TempDir()})
			if err != nil {
				t.Fatalf("%s to %s: %v", cli, gw, err)
			}
			if r.Failed != 0 || r.Online != n || r.Auth.N != n || r.Connect.N != n {
				t.Errorf("%s to %s: %d failed (%s), %d online, %d IKE_AUTHs dated, want "+
					"%d of each", cli, gw, r.Failed, r.FirstError, r.Online, r.Auth.N, n)
			}
			if r.Auth.Max > r.Connect.Max || r.Auth.Median > r.Auth.P90 ||
				r.Auth.P90 > r.Auth.P99 {
				t.Errorf("%s to %s: latencies out of order: IKE_AUTH %s, connect %s",
					cli, gw, r.Auth, r.Connect)
			}
		}
	}
}
