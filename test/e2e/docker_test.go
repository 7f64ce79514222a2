package e2e

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestDockerImage builds the image with `make docker` and checks that it holds the binary
// `make build` makes, and runs as the README says: --version in a container prints what the
// local build with the same stamps prints, the image runs as uid 65532 and exposes 9847, and
// the binary reads a config file mounted under /etc/zerto_exporter/config. It is skipped only
// where no container engine answers (docker, or $DOCKER).
func TestDockerImage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the container image")
	}
	docker := os.Getenv("DOCKER")
	if docker == "" {
		docker = "docker"
	}
	if out, err := exec.Command(docker, "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
		t.Skipf("skipped: no container engine answers here (%s info: %v: %s)", docker, err, first)
	}
	run := func(name string, args ...string) string {
		t.Helper()
		out, err := exec.Command(name, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	image, tag := "zerto-exporter-test", hex.EncodeToString(suffix)
	stamps := []string{"BUILD_USER=test@docker", "BUILD_DATE=" + time.Now().UTC().Format("20060102-15:04:05")}
	ref := image + ":" + tag
	if out, err := makeCmd(append([]string{"docker", "DOCKER=" + docker, "DOCKER_IMAGE=" + image, "DOCKER_TAG=" + tag}, stamps...)...).CombinedOutput(); err != nil {
		t.Fatalf("make docker: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command(docker, "rmi", "-f", ref).Run() })

	local := parseVersion(t, run(makeBuild(t, stamps...), "--version"))
	inImage := parseVersion(t, run(docker, "run", "--rm", ref, "--version"))
	if want := "linux/" + runtime.GOARCH; inImage.platform != want {
		t.Errorf("image platform %s, want %s", inImage.platform, want)
	}
	local.platform = inImage.platform // a local build on another OS differs only there
	if inImage != local {
		t.Errorf("the image's --version differs from make build's:\nimage %+v\nlocal %+v", inImage, local)
	}

	if got := strings.TrimSpace(run(docker, "image", "inspect", "--format", "{{.Config.User}} {{json .Config.ExposedPorts}}", ref)); got != `65532:65532 {"9847/tcp":{}}` {
		t.Errorf("image user and ports: %s", got)
	}

	config := filepath.Join(t.TempDir(), "config")
	if err := os.Mkdir(config, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(config, "zerto.yml"), []byte("sla:\n  - match: \".*\"\n    rto_target: 10m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := run(docker, "run", "--rm", "-v", config+":/etc/zerto_exporter/config:ro", ref,
		"--config.file=/etc/zerto_exporter/config/zerto.yml", "--config.check")
	if !strings.Contains(out, "OK") {
		t.Errorf("--config.check in the container printed %q", out)
	}
	// The compliance report command ships beside the exporter, with the same stamps.
	exporterVersion := run(docker, "run", "--rm", ref, "--version")
	reportVersion := run(docker, "run", "--rm", "--entrypoint", "/bin/zerto_report", ref, "--version")
	if want := strings.Replace(exporterVersion, "zerto_exporter,", "zerto_report,", 1); reportVersion != want {
		t.Errorf("zerto_report --version in the image printed\n%s\nwant\n%s", reportVersion, want)
	}
}
