package testutil

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// StopTimeout is how long the stop of Background waits for the run to return.
const StopTimeout = 2 * time.Second

// Background runs run in a goroutine, as the simulator's incidents and the demo's alert run,
// with a context that the returned stop cancels; stop then waits for run to return and fails the
// test if it has not within StopTimeout, since a loop that ignores its context would outlive the
// test. The test's cleanup stops it if the test did not.
func Background(t testing.TB, run func(ctx context.Context)) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		run(ctx)
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(StopTimeout):
				t.Errorf("a background run did not return within %s of its context's end", StopTimeout)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// Poll calls cond every few milliseconds until it holds or d has passed, and reports whether it
// held: the wait for what a background run, another process or a fault is to bring about.
func Poll(d time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(d); ; time.Sleep(5 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// Eventually fails the test at once with msg unless cond holds within d (see Poll).
func Eventually(t testing.TB, d time.Duration, cond func() bool, msg string) {
	t.Helper()
	if !Poll(d, cond) {
		t.Fatalf("%s (waited %s)", msg, d)
	}
}

// Recorder is a testing.TB that records the failures of the test helper it is given to, for the
// tests of those helpers; what it does not override goes to the real test.
type Recorder struct {
	testing.TB
	mu       sync.Mutex
	failures []string
}

// Errorf records a failure.
func (r *Recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

// Fatalf records a failure and ends the goroutine, as testing.T's does; Run waits for it.
func (r *Recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// Fatal records a failure and ends the goroutine.
func (r *Recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

// Error records a failure.
func (r *Recorder) Error(args ...any) { r.Errorf("%s", fmt.Sprint(args...)) }

// Failed reports whether a failure was recorded.
func (r *Recorder) Failed() bool { return len(r.Failures()) > 0 }

// Helper marks nothing: the recorded messages carry no position.
func (r *Recorder) Helper() {}

// Run calls f with r in a goroutine of its own, so that a Fatal ends f only, and waits for it.
func (r *Recorder) Run(f func(t testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
}

// Failures returns the failures recorded so far.
func (r *Recorder) Failures() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.failures...)
}
