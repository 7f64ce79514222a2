package exporter

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func TestClientConfig(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("pw-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := config.Module{Username: "u", PasswordFile: pw, ClientID: "c",
		TLSConfig: config.TLSConfig{CAFile: "ca.pem", InsecureSkipVerify: true}}
	got, err := ClientConfig("https://zvm", m, 7*time.Second, ModuleSecrets)
	want := zvm.Config{URL: "https://zvm", Auth: zvm.AuthAuto, Username: "u", Password: "pw-1", ClientID: "c",
		CAFile: "ca.pem", InsecureSkipVerify: true, Timeout: 7 * time.Second}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ClientConfig = %+v, %v; want %+v", got, err, want)
	}

	m.Auth, m.Timeout = "session", config.Duration(3*time.Second)
	if got, _ := ClientConfig("https://zvm", m, 7*time.Second, ModuleSecrets); got.Auth != zvm.AuthSession || got.Timeout != 3*time.Second {
		t.Errorf("the module's auth and timeout are not kept: %+v", got)
	}

	// The environment stands in for a file only where the sources say so.
	t.Setenv("ZERTO_TEST_CLIENT_SECRET", "s3cr3t")
	src := SecretSources{PasswordKey: "--pw", ClientSecretKey: "--secret", ClientSecretEnv: "ZERTO_TEST_CLIENT_SECRET"}
	if got, _ := ClientConfig("https://zvm", config.Module{}, time.Second, src); got.ClientSecret != "s3cr3t" {
		t.Errorf("client secret from the environment = %q", got.ClientSecret)
	}
	if got, _ := ClientConfig("https://zvm", config.Module{}, time.Second, ModuleSecrets); got.ClientSecret != "" {
		t.Errorf("a module read a secret from the environment: %q", got.ClientSecret)
	}

	_, err = ClientConfig("https://zvm", config.Module{ClientSecretFile: filepath.Join(dir, "hunter2")}, time.Second, src)
	if err == nil || !strings.HasPrefix(err.Error(), "--secret: ") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("missing secret file: %v, want an error naming --secret and not the path", err)
	}
}
