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
	got, err := ClientConfig("https://zvm", m, 7*time.Second, nil)
	want := zvm.Config{URL: "https://zvm", Auth: zvm.AuthAuto, Username: "u", Password: "pw-1", ClientID: "c",
		CAFile: "ca.pem", InsecureSkipVerify: true, Timeout: 7 * time.Second}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ClientConfig = %+v, %v; want %+v", got, err, want)
	}

	m.Auth, m.Timeout = "session", config.Duration(3*time.Second)
	if got, _ := ClientConfig("https://zvm", m, 7*time.Second, nil); got.Auth != zvm.AuthSession || got.Timeout != 3*time.Second {
		t.Errorf("the module's auth and timeout are not kept: %+v", got)
	}

	// A secret the module holds stands in for a file it does not name; a named file wins.
	m = config.Module{ClientSecret: "s3cr3t"}
	if got, _ := ClientConfig("https://zvm", m, time.Second, nil); got.ClientSecret != "s3cr3t" {
		t.Errorf("client secret held by the module = %q", got.ClientSecret)
	}
	m = config.Module{PasswordFile: pw, Password: "ignored"}
	if got, _ := ClientConfig("https://zvm", m, time.Second, nil); got.Password != "pw-1" {
		t.Errorf("password = %q, want the named file's", got.Password)
	}

	names := config.KeyNames{"client_secret_file": "--secret"}
	_, err = ClientConfig("https://zvm", config.Module{ClientSecretFile: filepath.Join(dir, "hunter2")}, time.Second, names)
	if err == nil || !strings.HasPrefix(err.Error(), "--secret: ") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("missing secret file: %v, want an error naming --secret and not the path", err)
	}
}
