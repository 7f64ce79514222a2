package boundedfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRead: a small regular file is read; a device, a directory, a FIFO-like special file and a
// file over the bound are refused without being read whole.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "pw")
	if err := os.WriteFile(small, []byte("s3cr3t\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := Read(small, MaxSecret); err != nil || string(b) != "s3cr3t\n" {
		t.Fatalf("Read(small) = %q, %v", b, err)
	}
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, []byte(strings.Repeat("x", MaxSecret+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(big, MaxSecret); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "64KiB") {
		t.Errorf("Read(64 KiB + 1) = %v, want ErrTooLarge naming 64KiB", err)
	}
	if err := Check(big, MaxSecret); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Check(64 KiB + 1) = %v, want ErrTooLarge", err)
	}
	for _, p := range []string{os.DevNull, "/dev/zero", dir} {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		if _, err := Read(p, MaxSecret); !errors.Is(err, ErrNotRegular) {
			t.Errorf("Read(%s) = %v, want ErrNotRegular", p, err)
		}
		if err := Check(p, MaxSecret); !errors.Is(err, ErrNotRegular) {
			t.Errorf("Check(%s) = %v, want ErrNotRegular", p, err)
		}
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	if err := Check(link, MaxSecret); err != nil {
		t.Errorf("Check(symlink to a small file) = %v, want nil (Kubernetes mounts secrets so)", err)
	}
}
