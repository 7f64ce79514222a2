package testutil

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestBackground: stop ends the run through its context and returns once the run has returned;
// a run that ignores its context fails the test, after StopTimeout.
func TestBackground(t *testing.T) {
	var ran, returned atomic.Bool
	stop := Background(t, func(ctx context.Context) {
		ran.Store(true)
		<-ctx.Done()
		time.Sleep(20 * time.Millisecond) // stop waits for this
		returned.Store(true)
	})
	if !Poll(time.Second, ran.Load) {
		t.Fatal("the run did not start")
	}
	stop()
	if !returned.Load() {
		t.Error("stop returned before the run did")
	}
	stop() // a second stop, as the cleanup's, is harmless

	if testing.Short() {
		t.Skip("the stuck run costs StopTimeout")
	}
	r := &Recorder{TB: t}
	release := make(chan struct{})
	defer close(release)
	r.Run(func(tb testing.TB) {
		Background(tb, func(context.Context) { <-release })()
	})
	if f := r.Failures(); len(f) != 1 || !strings.Contains(f[0], "did not return") {
		t.Errorf("a run ignoring its context: failures %q, want one saying it did not return", f)
	}
}

// TestPoll: true as soon as the condition holds, false once the time is up without it.
func TestPoll(t *testing.T) {
	var n atomic.Int32
	if !Poll(time.Second, func() bool { return n.Add(1) == 3 }) || n.Load() != 3 {
		t.Errorf("Poll did not stop at the third call, when the condition held (%d calls)", n.Load())
	}
	start := time.Now()
	if Poll(50*time.Millisecond, func() bool { return false }) {
		t.Error("Poll reported a condition that never held")
	}
	if took := time.Since(start); took < 50*time.Millisecond || took > time.Second {
		t.Errorf("Poll gave up after %s, want about 50ms", took)
	}
}

// TestEventually: silent when the condition comes to hold, a failure with the message when not.
func TestEventually(t *testing.T) {
	r := &Recorder{TB: t}
	var n atomic.Int32
	r.Run(func(tb testing.TB) { Eventually(tb, time.Second, func() bool { return n.Add(1) > 2 }, "never") })
	r.Run(func(tb testing.TB) {
		Eventually(tb, 20*time.Millisecond, func() bool { return false }, "the light stayed red")
	})
	if f := r.Failures(); len(f) != 1 || !strings.HasPrefix(f[0], "the light stayed red") {
		t.Errorf("failures %q, want one, the second's", f)
	}
}

// TestRecorder: a Fatal ends the helper's goroutine only, and both kinds of failure are recorded.
func TestRecorder(t *testing.T) {
	r := &Recorder{TB: t}
	after := false
	r.Run(func(tb testing.TB) {
		tb.Errorf("first %d", 1)
		tb.Fatal("second")
		after = true
	})
	if after {
		t.Error("the helper went on after Fatal")
	}
	if f := r.Failures(); len(f) != 2 || f[0] != "first 1" || f[1] != "second" || !r.Failed() {
		t.Errorf("failures %q, want [first 1, second]", f)
	}
}
