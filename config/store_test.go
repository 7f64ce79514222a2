package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/go-kit/log"
)

// TestKeptModulesSurviveReload: the demo's module is not in the file, and a reload must not drop
// it, while a module of the same name in the file wins.
func TestKeptModulesSurviveReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "zerto.yml")
	write := func(doc string) {
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("modules:\n  a:\n    targets: [https://zvm]\n    username: a\n")
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	h := NewStore(path, cfg, log.NewNopLogger())
	h.SetBuiltinModules(map[string]Module{"demo": {Username: "demo"}})
	if c, _ := h.Get(); c.Modules["demo"].Username != "demo" || c.Modules["a"].Username != "a" {
		t.Fatalf("modules after SetBuiltinModules: %+v", c.Modules)
	}
	write("modules:\n  b:\n    targets: [https://zvm]\n    username: b\n  demo:\n    targets: [https://zvm]\n    username: from-file\n")
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	c, gen := h.Get()
	if _, ok := c.Modules["a"]; ok || c.Modules["b"].Username != "b" || c.Modules["demo"].Username != "from-file" || gen != 1 {
		t.Errorf("modules after reload: %+v (generation %d)", c.Modules, gen)
	}
	write("modules:\n  b:\n    targets: [https://zvm]\n    username: b\n")
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	if c, _ := h.Get(); c.Modules["demo"].Username != "demo" {
		t.Errorf("builtin module dropped by a reload: %+v", c.Modules)
	}
}

// TestCurrentSLAOutlivesReload: a scrape that took the current SLA rules keeps resolving with
// them while a reload replaces the file's rules, so its rule counts and targets agree.
func TestCurrentSLAOutlivesReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "zerto.yml")
	if err := os.WriteFile(path, []byte("sla:\n  - match: a\n    rto_target: 1m\n  - match: b\n    rto_target: 2m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	h := NewStore(path, cfg, log.NewNopLogger())
	cur := h.Current()
	if err := os.WriteFile(path, []byte("sla:\n  - match: b\n    rto_target: 5m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	if got := cur.Targets("b"); got.Rule != "sla[1]" || got.RTO.Minutes() != 2 {
		t.Errorf("taken before the reload: b -> %+v, want sla[1] with 2m", got)
	}
	if n := len(cur.Rules()); n != 2 {
		t.Errorf("taken before the reload: %d rules, want 2", n)
	}
	if got := h.Current().Targets("b"); got.Rule != "sla[0]" || got.RTO.Minutes() != 5 {
		t.Errorf("after the reload: b -> %+v, want sla[0] with 5m", got)
	}
}
