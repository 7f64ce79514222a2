package testutil

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeClone returns a directory for a clone and the clone's directory in it.
func fakeClone(t *testing.T) (parent, clone string) {
	parent = t.TempDir()
	return parent, filepath.Join(parent, "clone")
}

func TestLookupZVMSamples(t *testing.T) {
	t.Run("absent", func(t *testing.T) {
		t.Setenv(SamplesDirEnv, "")
		parent, clone := fakeClone(t)
		_, err := lookupZVMSamples(clone)
		if !errors.Is(err, errNoSamples) || !strings.Contains(err.Error(), filepath.Join(parent, "shared", "zvm-samples")) {
			t.Fatalf("err = %v, want errNoSamples naming the place looked at", err)
		}
	})
	t.Run("beside the clone", func(t *testing.T) {
		t.Setenv(SamplesDirEnv, "")
		parent, clone := fakeClone(t)
		want := filepath.Join(parent, "shared", "zvm-samples")
		if err := os.MkdirAll(want, 0o755); err != nil {
			t.Fatal(err)
		}
		if dir, err := lookupZVMSamples(clone); err != nil || dir != want {
			t.Fatalf("lookupZVMSamples() = %q, %v; want %q", dir, err, want)
		}
	})
	t.Run("variable wins", func(t *testing.T) {
		parent, clone := fakeClone(t)
		if err := os.MkdirAll(filepath.Join(parent, "shared", "zvm-samples"), 0o755); err != nil {
			t.Fatal(err)
		}
		want := t.TempDir()
		t.Setenv(SamplesDirEnv, want)
		if dir, err := lookupZVMSamples(clone); err != nil || dir != want {
			t.Fatalf("lookupZVMSamples() = %q, %v; want %q", dir, err, want)
		}
	})
	t.Run("variable names nothing", func(t *testing.T) {
		_, clone := fakeClone(t)
		missing := filepath.Join(t.TempDir(), "missing")
		t.Setenv(SamplesDirEnv, missing)
		_, err := lookupZVMSamples(clone)
		if err == nil || errors.Is(err, errNoSamples) || !strings.Contains(err.Error(), missing) {
			t.Fatalf("err = %v, want a failure (not a skip) naming %s", err, missing)
		}
	})
}
