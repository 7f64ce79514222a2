package testutil

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// SamplesDirEnv names the variable that points the tests at the third-party ZVM sample corpus
// (Zerto's documentation examples, zertoapiwrapper's mocks, the Swagger file). The corpus is not
// the project's to ship, so a clone has none beside it; CI sets the variable, which turns a
// missing corpus from a skip into a failure.
const SamplesDirEnv = "ZVM_SAMPLES_DIR"

// ZVMSamples returns the directory of the sample corpus: $ZVM_SAMPLES_DIR, else
// ../shared/zvm-samples beside the repository. Where there is none, tb is skipped with one line
// saying so; where ZVM_SAMPLES_DIR names a directory that does not exist, tb fails.
func ZVMSamples(tb testing.TB) string {
	tb.Helper()
	dir, err := lookupZVMSamples(RepoRoot(tb))
	if err != nil {
		if errors.Is(err, errNoSamples) {
			tb.Skipf("skipped: this test reads the third-party ZVM sample corpus, and %v", err)
		}
		tb.Fatal(err)
	}
	return dir
}

// OptionalZVMSamples is ZVMSamples for a test that also has seeds of its own, such as a fuzz
// target: where there is no corpus it logs one line and returns false instead of skipping.
func OptionalZVMSamples(tb testing.TB) (string, bool) {
	tb.Helper()
	dir, err := lookupZVMSamples(RepoRoot(tb))
	if err != nil {
		if errors.Is(err, errNoSamples) {
			tb.Logf("seeds from the third-party ZVM sample corpus left out: %v", err)
			return "", false
		}
		tb.Fatal(err)
	}
	return dir, true
}

var errNoSamples = errors.New("there is none")

// lookupZVMSamples finds the corpus for the repository at root.
func lookupZVMSamples(root string) (string, error) {
	if dir := os.Getenv(SamplesDirEnv); dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return "", fmt.Errorf("%s=%s is not a directory of ZVM samples (CI sets it so that the sample tests run)", SamplesDirEnv, dir)
		}
		return dir, nil
	}
	dir := filepath.Join(filepath.Dir(root), "shared", "zvm-samples")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("%w at %s beside the repository (set %s to where it is)", errNoSamples, dir, SamplesDirEnv)
	}
	return dir, nil
}
