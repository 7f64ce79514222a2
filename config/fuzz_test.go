package config

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary documents to Parse: it never panics, and what it accepts renders to a
// document that parses to the same configuration. Its seeds run in every `go test`.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "---", "{}", "[]", "null", "~", "modules: {}", "sla: []",
		"modules:\n  default:\n    auth: keycloak\n    username: u\n    timeout: 10s\n    cache_ttl: 25s\n    collectors: [vpg, vm]\n    tls_config:\n      insecure_skip_verify: true\n",
		"modules:\n  win:\n    auth: session\n    username: 'DOMAIN\\svc'\n",
		"sla:\n  - match: 'prod-.*'\n    rpo_target: 5m\n    rto_target: 1h\n    test_interval: 30d\n  - match: '.*'\n    rpo_target: 15m\n",
		"sla:\n  - match: '('\n    rto_target: 1m\n", "sla:\n  - match: x\n", "sla:\n  - rpo_target: 1m\n",
		"sla:\n  - match: x\n    rpo_target: -1m\n", "sla:\n  - match: x\n    rpo_target: 1\n", "sla:\n  - match: x\n    rpo_target: 99999999999y\n",
		"modules:\n  m:\n    auth: ntlm\n", "modules:\n  m:\n    collectors: [nope]\n", "modules:\n  m:\n    password_file: /nonexistent\n",
		"modules:\n  m:\n    unknown_key: 1\n", "modules: [1, 2]", "sla: {match: x}", "a: &a [*a]", "x: !!binary AAA=",
		"modules:\n  m: &m\n    auth: keycloak\n  n: *m\n", strings.Repeat("- ", 500) + "x", "\t", "\x00", "sla:\n  - match: \"\\xff\"\n    rpo_target: 1m\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b)
		if err != nil {
			if c != nil {
				t.Fatalf("Parse returned a config with error %v", err)
			}
			return
		}
		for _, r := range c.SLA {
			if r.re == nil {
				t.Fatalf("accepted SLA rule %q without a compiled pattern", r.Match)
			}
			if r.RPOTarget < 0 || r.RTOTarget < 0 || r.TestInterval < 0 {
				t.Fatalf("accepted a negative duration in %+v", r)
			}
		}
		for _, name := range []string{"", "prod-db", strings.Repeat("x", 300)} {
			_ = c.Targets(name)
		}
		out := c.String()
		back, err := Parse([]byte(out))
		if err != nil {
			t.Fatalf("rendered config does not parse: %v\n%s", err, out)
		}
		if back.String() != out {
			t.Fatalf("rendering is not stable:\n%s\n---\n%s", out, back.String())
		}
	})
}
