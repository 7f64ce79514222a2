package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// TestNoProjectCodeInProcess keeps the Makefile's NORACE_PKGS, whose tests run without the race
// detector, to packages whose test binaries hold none of the project's code but the test helpers
// of internal/testutil: the race detector watches only the process it is built into, and the code
// these tests check runs in other processes (built binaries, jsonnet, promtool).
func TestNoProjectCodeInProcess(t *testing.T) {
	root := testutil.RepoRoot(t)
	makefile, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^NORACE_PKGS :?= \$\(addprefix \$\(shell \$\(GO\) list -m\)/,([^)]*)\)$`).FindSubmatch(makefile)
	if m == nil {
		t.Fatal("no NORACE_PKGS line of the expected form in the Makefile")
	}
	dirs := strings.Fields(string(m[1]))
	module := "github.com/zerto-exporter/zerto_exporter"
	allowed := map[string]bool{module + "/internal/testutil": true}
	args := []string{"list", "-deps", "-test", "-f", "{{.ImportPath}}"}
	for _, d := range dirs {
		allowed[module+"/"+d] = true
		args = append(args, "./"+d)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for p := range strings.FieldsSeq(string(out)) {
		if !strings.HasPrefix(p, module+"/") && p != module || strings.HasPrefix(p, "[") {
			continue
		}
		pkg := strings.TrimSuffix(p, ".test")
		if !allowed[pkg] {
			t.Errorf("%s is in the test binaries of %v: run their tests under the race detector (drop them from NORACE_PKGS)", p, dirs)
		}
	}
	if len(dirs) == 0 || !strings.Contains(string(out), module+"/test/e2e") {
		t.Errorf("go list of %v: %s", dirs, out)
	}
}
