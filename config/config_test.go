package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/collector"
)

func TestParseSLA(t *testing.T) {
	c, err := Parse([]byte(`
sla:
  - match: "prod-.*"
    rpo_target: 5m
    rto_target: 10m
    test_interval: 30d
  - match: "prod-db"
    rto_target: 1m
  - match: ".*"
    test_interval: 90d
`))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		vpg           string
		rpo, rto, int time.Duration
		rule          string
	}{
		{"prod-web", 5 * time.Minute, 10 * time.Minute, 30 * 24 * time.Hour, "sla[0]"},
		{"prod-db", 5 * time.Minute, 10 * time.Minute, 30 * 24 * time.Hour, "sla[0]"}, // first match wins
		{"xprod-web", 0, 0, 90 * 24 * time.Hour, "sla[2]"},                            // anchored at the start
		{"dev", 0, 0, 90 * 24 * time.Hour, "sla[2]"},
	}
	for _, tc := range cases {
		got := c.Targets(tc.vpg)
		if got.RPO != tc.rpo || got.RTO != tc.rto || got.TestInterval != tc.int || got.Rule != tc.rule {
			t.Errorf("Targets(%q) = %+v, want rpo %s rto %s interval %s rule %s", tc.vpg, got, tc.rpo, tc.rto, tc.int, tc.rule)
		}
	}
	want := []collector.SLARule{{Name: "sla[0]", Match: "prod-.*"}, {Name: "sla[1]", Match: "prod-db"}, {Name: "sla[2]", Match: ".*"}}
	if got := c.Rules(); !slices.Equal(got, want) {
		t.Errorf("Rules() = %v, want %v", got, want)
	}
}

func TestParseMaxResponseSize(t *testing.T) {
	c, err := Parse([]byte("modules:\n  m:\n    targets: [https://zvm]\n    username: u\n    max_response_size: 128MiB\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Modules["m"].MaxResponseSize; got != 128<<20 {
		t.Errorf("max_response_size 128MiB = %d", got)
	}
}

func TestParseAnchoredAtEnd(t *testing.T) {
	c, err := Parse([]byte("sla:\n  - match: prod\n    rto_target: 1m\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Targets("prod-web"); got.RTO != 0 {
		t.Errorf("pattern prod matched prod-web: %+v", got)
	}
	if got := c.Targets("prod"); got.RTO != time.Minute {
		t.Errorf("pattern prod did not match prod: %+v", got)
	}
}

func TestParseErrors(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(secret, []byte("x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct{ doc, want string }{
		"bad regex":                {"sla:\n  - match: 'prod-(['\n    rto_target: 1m\n", `sla[0] (match "prod-(["): bad regular expression`},
		"negative duration":        {"sla:\n  - match: a\n    rto_target: -5m\n", `"-5m" is not a duration`},
		"malformed duration":       {"sla:\n  - match: a\n    rpo_target: soon\n", `"soon" is not a duration`},
		"malformed size":           {"modules:\n  m:\n    max_response_size: big\n", `"big" is not a positive size`},
		"zero size":                {"modules:\n  m:\n    max_response_size: 0MiB\n", `"0MiB" is not a positive size`},
		"unknown key":              {"sla:\n  - match: a\n    rto: 5m\n", `line 3: unknown key "rto" in an sla rule (keys: match, rpo_target, rto_target, test_interval)`},
		"unknown top key":          {"slas: []\n", `line 1: unknown key "slas" at the top level (keys: modules, sla)`},
		"unknown tls key":          {"modules:\n  m:\n    username: a\n    tls_config:\n      verify: false\n", `unknown key "verify" in a tls_config (keys: ca_file, insecure_skip_verify)`},
		"no target":                {"sla:\n  - match: a\n", "sets none of"},
		"no match":                 {"sla:\n  - rto_target: 1m\n", "sla[0]: match is required"},
		"bad auth":                 {"modules:\n  default:\n    auth: ntlm\n", `module "default": auth "ntlm"`},
		"bad collector":            {"modules:\n  default:\n    username: a\n    collectors: [vpgs]\n", `module "default": unknown collector "vpgs" (known: alert, `},
		"bad session auth method":  {"modules:\n  default:\n    auth: session\n    session_auth_method: kerberos\n", `module "default": session_auth_method "kerberos" is not one of [windows vcenter]`},
		"missing secret":           {"modules:\n  default:\n    username: a\n    password_file: /nonexistent/pw\n", `module "default": password_file: the file cannot be read: no such file or directory`},
		"password as path":         {"modules:\n  default:\n    username: a\n    password_file: hunter2\n", `module "default": password_file: the file cannot be read`},
		"no hint outside a module": {"password: x\n", `unknown key "password" at the top level (keys: modules, sla)`},
		"no credentials":           {"modules:\n  default:\n    auth: keycloak\n", `module "default": needs username`},
		"module unknown key":       {"modules:\n  default:\n    password: hunter2\n", `unknown key "password" in a module (keys: targets, auth, session_auth_method, username, password_file,`},
		"no targets":               {"modules:\n  default:\n    username: a\n", `module "default": lists no targets: add targets: with the base URLs of the ZVMs its credentials may be sent to`},
		"bad target":               {"modules:\n  default:\n    targets: [https://zvm, 'https://u:hunter2@zvm']\n    username: a\n", `module "default": targets[1]: "https://u:xxxxx@zvm" must be a URL without credentials`},
		"target without scheme":    {"modules:\n  default:\n    targets: [zvm.example.com]\n    username: a\n", `targets[0]: "zvm.example.com" is not an http:// or https:// URL with a host`},
		"inline secret hint":       {"modules:\n  default:\n    client_secret: hunter2\n", "put the secret in a file readable by the exporter and name it with client_secret_file"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc))
			if err == nil {
				t.Fatalf("no error for %q", tc.doc)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
			if name == "no hint outside a module" && strings.Contains(err.Error(), "_file") {
				t.Fatalf("error %q suggests a _file key where there is none", err)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("error %q shows the secret", err)
			}
		})
	}
	if _, err := Parse([]byte("modules:\n  default:\n    targets: [https://zvm.example.com]\n    auth: keycloak\n    username: mon\n    password_file: " + secret + "\n    timeout: 5s\n")); err != nil {
		t.Fatalf("valid module refused: %v", err)
	}
}

func TestEmptyFileIsValid(t *testing.T) {
	c, err := Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Targets("any"); got.RPO != 0 || got.RTO != 0 || got.TestInterval != 0 {
		t.Errorf("empty config has targets: %+v", got)
	}
}

func TestReadSecret(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s")
	if err := os.WriteFile(p, []byte("s3cr3t\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ZERTO_TEST_SECRET", "from-env")
	for _, tc := range []struct{ file, env, want string }{
		{p, "ZERTO_TEST_SECRET", "s3cr3t"},
		{"", "ZERTO_TEST_SECRET", "from-env"},
		{"", "", ""},
	} {
		if got, err := ReadSecret(tc.file, tc.env); err != nil || got != tc.want {
			t.Errorf("ReadSecret(%q, %q) = %q, %v; want %q", tc.file, tc.env, got, err, tc.want)
		}
	}
	missing := filepath.Join(t.TempDir(), "hunter2")
	if _, err := ReadSecret(missing, "ZERTO_TEST_SECRET"); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("ReadSecret of a missing file: %v, want an error without the path", err)
	}
}

func TestStringHasNoSecrets(t *testing.T) {
	c, err := Parse([]byte("modules:\n  a:\n    targets: [https://zvm]\n    username: mon\n    timeout: 5s\nsla:\n  - match: x\n    rto_target: 10m\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := c.String()
	for _, want := range []string{"username: mon", "timeout: 5s", "rto_target: 10m", "match: x"} {
		if !strings.Contains(s, want) {
			t.Errorf("String() lacks %q:\n%s", want, s)
		}
	}
}

// TestFilesBounded: a secret or CA file that is a device or too big, and a config file that is
// /dev/zero, are config errors naming the key and the file, found without reading them whole
// (before, /dev/zero as password_file passed and the first probe ran out of memory).
func TestFilesBounded(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil { // sparse: 1 GiB that takes no disk
		t.Fatal(err)
	}
	f.Close()
	for _, tc := range []struct{ key, path, want string }{
		{"password_file", "/dev/zero", "password_file /dev/zero: not a regular file"},
		{"password_file", huge, "password_file " + huge + ": larger than allowed: at most 64KiB"},
		{"client_secret_file", "/dev/zero", "client_secret_file /dev/zero: not a regular file"},
		{"tls_config.ca_file", "/dev/zero", "tls_config.ca_file /dev/zero: not a regular file"},
		{"tls_config.ca_file", huge, "tls_config.ca_file " + huge + ": larger than allowed: at most 1MiB"},
	} {
		line := "    " + tc.key + ": " + tc.path + "\n"
		if tc.key == "tls_config.ca_file" {
			line = "    tls_config:\n      ca_file: " + tc.path + "\n"
		}
		doc := "modules:\n  m:\n    targets: [https://zvm]\n    username: u\n    client_id: c\n" + line
		_, err := Parse([]byte(doc))
		if err == nil || !strings.Contains(err.Error(), `module "m": `+tc.want) {
			t.Errorf("%s: %s: error %v, want %q", tc.key, tc.path, err, tc.want)
		}
	}
	if _, err := ReadSecret("/dev/zero", ""); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("ReadSecret(/dev/zero) = %v, want not a regular file", err)
	}
	if _, err := ReadSecret(huge, ""); err == nil || !strings.Contains(err.Error(), "larger than allowed") {
		t.Errorf("ReadSecret(1 GiB) = %v, want larger than allowed", err)
	}
	for _, p := range []string{"/dev/zero", huge} {
		if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "config file "+p+": ") {
			t.Errorf("Load(%s) = %v, want an error naming the file", p, err)
		}
	}
}

// TestModuleAllows: a module's credentials reach its targets however they are spelt, and nothing
// else: another host, port, scheme (plain http where https is listed) or path.
func TestModuleAllows(t *testing.T) {
	m := Module{Targets: []string{"https://zvm1.example.com", "http://lab-zvm:9669"}}
	for target, want := range map[string]string{
		"https://ZVM1.example.com:443/": "https://zvm1.example.com",
		"https://zvm1.example.com":      "https://zvm1.example.com",
		"HTTP://Lab-ZVM:9669":           "http://lab-zvm:9669",
	} {
		if got, ok := m.Allows(target); !ok || got != want {
			t.Errorf("Allows(%q) = %q, %v; want %q", target, got, ok, want)
		}
	}
	for _, target := range []string{"http://zvm1.example.com", "https://zvm1.example.com:8443", "https://zvm2.example.com",
		"https://zvm1.example.com/x", "https://lab-zvm:9669", "http://127.0.0.1:18001/rec", "not a url", ""} {
		if got, ok := m.Allows(target); ok {
			t.Errorf("Allows(%q) = %q, true", target, got)
		}
	}
}
