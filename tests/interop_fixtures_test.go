package tests

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"path/filepath"
	"testing"
	"time"
)

// interopConf is the swanctl.conf of the interop fixtures: every kind of
// section, with credentials written next to it by writeInteropFixtures.
// Pools are ranges, as a CIDR's base differs between 5.9.8 and charond on
// purpose (versions.md).
const interopConf = `connections {
   gw {
      local_addrs = 192.0.2.1
      local {
         auth = pubkey
         certs = moonCert.pem
         id = moon.drop.test
      }
      remote {
         auth = pubkey
      }
      children {
         net {
            local_ts = 10.1.0.0/16
         }
      }
   }
   rw {
      pools = p4
      local {
         auth = psk
         id = moon.drop.test
      }
      remote {
         auth = psk
      }
      children {
         home {
            local_ts = 10.1.0.0/16
         }
      }
   }
}
pools {
   p4 {
      addrs = 10.3.0.1-10.3.0.14
      dns = 10.1.0.53
   }
}
authorities {
   dropca {
      cacert = caCert.pem
      crl_uris = http://crl.drop.test/ca.crl
      ocsp_uris = http://ocsp.drop.test
      cert_uri_base = http://certs.drop.test/
   }
}
secrets {
   ike-rw {
      id = moon.drop.test
      secret = 0sZHJvcC10ZXN0
   }
   eap-carol {
      id = carol
      secret = "drop secret"
   }
}
`

// writeInteropFixtures writes a swanctl folder with a fresh CA, host
// certificates for RSA and ECDSA keys, an OCSP signer, a CRL, raw public
// keys (one with its Ed25519 private key) and interopConf. It returns the
// folder.
func writeInteropFixtures(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	now := time.Now().Truncate(time.Hour)
	caKey := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject: pkix.Name{Country: []string{"CH"}, Organization: []string{"drop"},
			CommonName: "drop Root CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(5, 0, 0),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER := must(x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey))
	ca := must(x509.ParseCertificate(caDER))
	writePEM(t, filepath.Join(dir, "x509ca/caCert.pem"), "CERTIFICATE", caDER)

	leaf := func(serial int64, cn string, pub crypto.PublicKey, eku []x509.ExtKeyUsage) []byte {
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			Subject: pkix.Name{Country: []string{"CH"}, Organization: []string{"drop"},
				CommonName: cn},
			DNSNames:    []string{cn},
			IPAddresses: []net.IP{net.ParseIP("192.0.2.1")},
			NotBefore:   now.Add(-time.Hour), NotAfter: now.AddDate(2, 0, 0),
			ExtKeyUsage: eku,
		}
		return must(x509.CreateCertificate(rand.Reader, tmpl, ca, pub, caKey))
	}
	rsaKey := must(rsa.GenerateKey(rand.Reader, 2048))
	writePEM(t, filepath.Join(dir, "x509/moonCert.pem"), "CERTIFICATE",
		leaf(2, "moon.drop.test", rsaKey.Public(), nil))
	writePEM(t, filepath.Join(dir, "rsa/moonKey.pem"), "RSA PRIVATE KEY",
		x509.MarshalPKCS1PrivateKey(rsaKey))

	ecKey := must(ecdsa.GenerateKey(elliptic.P384(), rand.Reader))
	writePEM(t, filepath.Join(dir, "x509/sunCert.pem"), "CERTIFICATE",
		leaf(3, "sun.drop.test", ecKey.Public(), nil))
	writePEM(t, filepath.Join(dir, "ecdsa/sunKey.pem"), "EC PRIVATE KEY",
		must(x509.MarshalECPrivateKey(ecKey)))

	ocspKey := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	writePEM(t, filepath.Join(dir, "x509ocsp/ocspCert.pem"), "CERTIFICATE",
		leaf(4, "ocsp.drop.test", ocspKey.Public(),
			[]x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}))

	edPub, edKey := must2(ed25519.GenerateKey(rand.Reader))
	writePEM(t, filepath.Join(dir, "pkcs8/edKey.pem"), "PRIVATE KEY",
		must(x509.MarshalPKCS8PrivateKey(edKey)))
	writePEM(t, filepath.Join(dir, "pubkey/edPub.pem"), "PUBLIC KEY",
		must(x509.MarshalPKIXPublicKey(edPub)))
	peerKey := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	writePEM(t, filepath.Join(dir, "pubkey/peerPub.pem"), "PUBLIC KEY",
		must(x509.MarshalPKIXPublicKey(peerKey.Public())))

	crl := must(x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number: big.NewInt(1), ThisUpdate: now.Add(-time.Hour), NextUpdate: now.AddDate(0, 1, 0),
		RevokedCertificateEntries: []x509.RevocationListEntry{
			{SerialNumber: big.NewInt(9), RevocationTime: now.Add(-time.Hour)}},
	}, ca, caKey))
	writePEM(t, filepath.Join(dir, "x509crl/ca.crl"), "X509 CRL", crl)
	write(t, filepath.Join(dir, "swanctl.conf"), interopConf)
	return dir
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	write(t, path, string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}
