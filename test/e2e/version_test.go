package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// repoRoot is the repository, seen from this package's directory.
const repoRoot = "../.."

// makeCmd is make in the repository, without the version stamps and make flags the environment may
// hold (the Makefile would take VERSION and the others from there, and an outer make's jobserver
// does not reach through go test).
func makeCmd(args ...string) *exec.Cmd {
	cmd := exec.Command("make", append([]string{"-s", "-C", repoRoot}, args...)...)
	for _, kv := range os.Environ() {
		switch name, _, _ := strings.Cut(kv, "="); name {
		case "VERSION", "REVISION", "BRANCH", "BUILD_USER", "BUILD_DATE", "MAKEFLAGS", "MFLAGS", "MAKELEVEL":
		default:
			cmd.Env = append(cmd.Env, kv)
		}
	}
	return cmd
}

// makeBuild builds the binaries into a temporary directory with `make build`, the command users
// and the Dockerfile run, so that the version information is stamped as in a release.
func makeBuild(t *testing.T, vars ...string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := makeCmd(append([]string{"build", "BINDIR=" + dir}, vars...)...).CombinedOutput(); err != nil {
		t.Fatalf("make build: %v\n%s", err, out)
	}
	return filepath.Join(dir, "zerto_exporter")
}

// versionLine matches the output of --version (github.com/prometheus/common/version.Print).
var versionLine = regexp.MustCompile(`^zerto_exporter, version (\S+) \(branch: (\S+), revision: (\S+)\)
  build user:\s+(\S+@\S+)
  build date:\s+(\d{8}-\d\d:\d\d:\d\d)
  go version:\s+(\S+)
  platform:\s+(\S+)
  tags:\s+(\S+)
?$`)

// buildInfo is what --version says about a build.
type buildInfo struct {
	version, branch, revision, user, date, goVersion, platform, tags string
}

func parseVersion(t *testing.T, out string) buildInfo {
	t.Helper()
	m := versionLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("--version printed\n%s\nwhich does not match\n%s", out, versionLine)
	}
	return buildInfo{m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]}
}

// git returns git's answer in the repository, or "unknown" outside a git checkout, as the
// Makefile does.
func git(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", repoRoot}, args...)...).Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// TestVersion checks what --version of the binary `make build` makes prints: the version of the
// VERSION file, the git branch and revision it was built from, and the Go toolchain.
func TestVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	out, err := exec.Command(makeBuild(t), "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("--version: %v\n%s", err, out)
	}
	got := parseVersion(t, string(out))
	version, err := os.ReadFile(filepath.Join(repoRoot, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	want := buildInfo{
		version:   strings.TrimSpace(string(version)),
		branch:    git(t, "rev-parse", "--abbrev-ref", "HEAD"),
		revision:  git(t, "rev-parse", "HEAD"),
		goVersion: runtime.Version(),
		platform:  runtime.GOOS + "/" + runtime.GOARCH,
		tags:      "unknown",
		user:      got.user, date: got.date, // checked by the pattern only
	}
	if got != want {
		t.Errorf("--version:\n got %+v\nwant %+v", got, want)
	}
}
