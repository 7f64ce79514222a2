package snapshot

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// journalFake is a ZVM with two VPGs whose journals move: it answers the checkpoint endpoints
// from a list of checkpoints per VPG, filtered by startDate, and records each list's startDate.
type journalFake struct {
	*fakeClient
	mu          sync.Mutex
	checkpoints map[string][]zvm.Checkpoint // by VPG id, oldest first; the first is the earliest
	since       map[string][]time.Time
	gone        map[string]bool // answers 404
}

func (f *journalFake) Read(ctx context.Context, r zvm.Request) (any, error) {
	switch r.Endpoint {
	case zvm.EndpointVPGs:
		return []zvm.VPG{{VpgIdentifier: "a", VpgName: "A"}, {VpgIdentifier: "b", VpgName: "B"}}, nil
	case zvm.EndpointCheckpointStats:
		return f.stats(r.ID)
	case zvm.EndpointCheckpoints:
		return f.list(r.ID, r.Since), nil
	}
	return f.fakeClient.Read(ctx, r)
}

func (f *journalFake) stats(id string) (*zvm.CheckpointStats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gone[id] {
		return nil, &zvm.APIError{StatusCode: 404, Endpoint: zvm.EndpointCheckpointStats}
	}
	cps := f.checkpoints[id]
	if len(cps) == 0 {
		return &zvm.CheckpointStats{}, nil
	}
	return &zvm.CheckpointStats{Earliest: &cps[0], Latest: &cps[len(cps)-1]}, nil
}

func (f *journalFake) list(id string, since time.Time) []zvm.Checkpoint {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.since[id] = append(f.since[id], since)
	var out []zvm.Checkpoint
	for _, c := range f.checkpoints[id] {
		if !c.TimeStamp.Before(since) {
			out = append(out, c)
		}
	}
	return out
}

func cp(at time.Time, tag string) zvm.Checkpoint {
	return zvm.Checkpoint{TimeStamp: zvm.Time{Time: at}, Tag: tag}
}

// TestCheckpointsIncremental: the first refresh reads each journal from its earliest checkpoint,
// later ones from the newest checkpoint read minus the overlap; a tagged checkpoint read once is
// remembered while later reads no longer return it, and forgotten once it leaves the journal.
func TestCheckpointsIncremental(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	f := &journalFake{fakeClient: newFake(), since: map[string][]time.Time{}, gone: map[string]bool{}, checkpoints: map[string][]zvm.Checkpoint{
		"a": {cp(t0, ""), cp(t0.Add(time.Hour), "before-upgrade"), cp(t0.Add(2*time.Hour), "")},
		"b": nil, // no checkpoint yet
	}}
	clock := t0.Add(2 * time.Hour)
	s := NewSource(f, Options{Endpoints: []zvm.Endpoint{zvm.EndpointVPGs, zvm.EndpointCheckpointStats, zvm.EndpointCheckpoints},
		Concurrency: 2, Now: func() time.Time { return clock }})
	get := func() *Snapshot {
		t.Helper()
		clock = clock.Add(time.Minute)
		snap, err := s.Get(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if err := snap.Err(zvm.EndpointCheckpointStats, zvm.EndpointCheckpoints); err != nil {
			t.Fatal(err)
		}
		return snap
	}
	snap := get()
	if got := snap.Checkpoints["a"]; !got.Latest.Equal(t0.Add(2*time.Hour)) || !got.LatestTagged.Equal(t0.Add(time.Hour)) {
		t.Errorf("A: %+v, want latest t0+2h, tagged t0+1h", got)
	}
	if got, ok := snap.Checkpoints["b"]; !ok || !got.Latest.IsZero() || !got.LatestTagged.IsZero() {
		t.Errorf("B (no checkpoint): %+v, %v; want zero times", got, ok)
	}
	if len(f.since["b"]) != 0 {
		t.Errorf("B's list read with no checkpoint in its journal")
	}

	// The journal moves on: new checkpoints, none tagged.
	f.mu.Lock()
	f.checkpoints["a"] = append(f.checkpoints["a"], cp(t0.Add(3*time.Hour), ""))
	f.mu.Unlock()
	snap = get()
	if got := snap.Checkpoints["a"]; !got.Latest.Equal(t0.Add(3*time.Hour)) || !got.LatestTagged.Equal(t0.Add(time.Hour)) {
		t.Errorf("A after a new checkpoint: %+v, want the tagged one remembered", got)
	}
	if want := []time.Time{t0, t0.Add(2*time.Hour - checkpointOverlap)}; len(f.since["a"]) != 2 || !f.since["a"][0].Equal(want[0]) || !f.since["a"][1].Equal(want[1]) {
		t.Errorf("A read since %v, want %v", f.since["a"], want)
	}

	// The tagged checkpoint leaves the journal.
	f.mu.Lock()
	f.checkpoints["a"] = f.checkpoints["a"][2:]
	f.gone["b"] = true // B deleted since /v1/vpgs was read
	f.mu.Unlock()
	snap = get()
	if got := snap.Checkpoints["a"]; !got.LatestTagged.IsZero() {
		t.Errorf("A: tagged %v after it left the journal", got.LatestTagged)
	}
	if _, ok := snap.Checkpoints["b"]; ok {
		t.Error("B answered 404 and is still reported")
	}
}

// A ZVM whose every VPG answers 404 lacks the checkpoint endpoints: both are recorded unsupported,
// not failed.
func TestCheckpointsUnsupported(t *testing.T) {
	f := &journalFake{fakeClient: newFake(), since: map[string][]time.Time{}, gone: map[string]bool{"a": true, "b": true}}
	snap, err := NewSource(f, Options{Endpoints: []zvm.Endpoint{zvm.EndpointVPGs, zvm.EndpointCheckpointStats, zvm.EndpointCheckpoints}}).
		Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, ep := range []zvm.Endpoint{zvm.EndpointCheckpointStats, zvm.EndpointCheckpoints} {
		if f := snap.Fetches[ep]; !f.Unsupported || f.Err != nil {
			t.Errorf("%s: %+v, want unsupported", ep, f)
		}
	}
	if len(snap.Checkpoints) != 0 {
		t.Errorf("checkpoints of VPGs that answered 404: %v", snap.Checkpoints)
	}
}
