package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/kingpin/v2"
	"github.com/go-kit/log"
)

func parseVSphereFlags(t *testing.T, args ...string) *vsphereFlags {
	t.Helper()
	var f vsphereFlags
	app := kingpin.New("test", "")
	addVSphereFlags(app, &f)
	if _, err := app.Parse(args); err != nil {
		t.Fatal(err)
	}
	return &f
}

func TestVSphereFlagsOffWithoutURL(t *testing.T) {
	f := parseVSphereFlags(t)
	r, err := f.reader(log.NewNopLogger())
	if err != nil || r != nil {
		t.Fatalf("no --vsphere.url: reader %v, err %v; want nil, nil", r, err)
	}
	if got := f.collectors([]string{"site", "vra"}); !slices.Equal(got, []string{"site", "vra"}) {
		t.Errorf("collectors without --vsphere.url = %v", got)
	}
	if err := f.close(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestVSphereFlags(t *testing.T) {
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ZERTO_EXPORTER_VSPHERE_USERNAME", "zerto-ro")
	t.Setenv("ZERTO_EXPORTER_VSPHERE_PASSWORD", "from-env")

	f := parseVSphereFlags(t, "--vsphere.url=https://vc.example.com", "--vsphere.password-file="+pw)
	r, err := f.reader(log.NewNopLogger())
	if err != nil || r == nil {
		t.Fatalf("reader: %v, %v", r, err)
	}
	if got := f.collectors([]string{"vra", "vsphere"}); !slices.Equal(got, []string{"vra", "vsphere"}) {
		t.Errorf("vsphere listed twice: %v", got)
	}
	if got := f.collectors([]string{"vra", "vsphere_x", "zzz"}); !slices.Equal(got, []string{"vra", "vsphere", "vsphere_x", "zzz"}) {
		t.Errorf("collectors with --vsphere.url = %v", got)
	}

	for name, args := range map[string][]string{
		"no password": {"--vsphere.url=https://vc.example.com", "--vsphere.username=u"},
		"no username": {"--vsphere.url=https://vc.example.com", "--vsphere.password-file=" + pw},
		"bad URL":     {"--vsphere.url=ftp://vc.example.com", "--vsphere.username=u", "--vsphere.password-file=" + pw},
		"bad CA":      {"--vsphere.url=https://vc.example.com", "--vsphere.username=u", "--vsphere.password-file=" + pw, "--vsphere.ca-file=/nonexistent.pem"},
		"bad timeout": {"--vsphere.url=https://vc.example.com", "--vsphere.username=u", "--vsphere.password-file=" + pw, "--vsphere.timeout=0s"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("ZERTO_EXPORTER_VSPHERE_USERNAME", "")
			if name == "no password" {
				t.Setenv("ZERTO_EXPORTER_VSPHERE_PASSWORD", "")
			}
			f := parseVSphereFlags(t, args...)
			_, err := f.reader(log.NewNopLogger())
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), "from-file") || strings.Contains(err.Error(), "from-env") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}
