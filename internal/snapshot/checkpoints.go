package snapshot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// The opt-in checkpoints collector costs two requests per VPG and refresh: the checkpoint
// statistics (the latest checkpoint), and the checkpoint list, for the newest tagged checkpoint.
// A journal holds a checkpoint every few seconds, so the list is read incrementally: the whole
// journal once (from its earliest checkpoint), then only what is new since the newest checkpoint
// read, minus an overlap for checkpoints the ZVM lists late. The newest tagged checkpoint seen is
// remembered until it leaves the journal (it is older than the earliest checkpoint).
const checkpointOverlap = 5 * time.Minute

// VPGCheckpoints is what the checkpoint endpoints say of one VPG. A zero time is unknown: the
// journal holds no checkpoint, or no tagged one.
type VPGCheckpoints struct {
	Latest       time.Time
	LatestTagged time.Time
}

// taggedState is what the tracker remembers of one VPG between refreshes.
type taggedState struct {
	readTo time.Time // the newest checkpoint time the list has been read up to (the ZVM's clock)
	tagged time.Time // the newest tagged checkpoint seen; zero for none
}

// readCheckpoints reads every VPG's checkpoints once /v1/vpgs is read, at most s.opts.Concurrency
// VPGs at a time. The table records the read under both checkpoint endpoints.
func readCheckpoints(ctx context.Context, s *Source, in readInput) (func(*Snapshot), error) {
	if in.afterErr != nil {
		return nil, fmt.Errorf("VPG list unknown: %w", in.afterErr)
	}
	var ids []string
	seen := map[string]bool{}
	for i := range in.snap.VPGs {
		if id := in.snap.VPGs[i].VpgIdentifier; id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	res, err := s.readVPGsCheckpoints(ctx, ids)
	return func(sn *Snapshot) { sn.Checkpoints = res }, err
}

// readVPGsCheckpoints reads the VPGs' checkpoints and updates the tagged-checkpoint tracker. A VPG
// that answers 404 (deleted since /v1/vpgs was read) is left out; when every one does, the ZVM
// lacks the endpoints (the error is zvm.ErrNotSupported). The first other error fails the read.
func (s *Source) readVPGsCheckpoints(ctx context.Context, ids []string) (map[string]VPGCheckpoints, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		id    string
		cp    VPGCheckpoints
		state *taggedState // nil: forget the VPG
		gone  bool
		err   error
	}
	results := make([]result, len(ids))
	sem := make(chan struct{}, max(1, s.opts.Concurrency))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			r := result{id: id}
			r.cp, r.state, r.err = readVPGCheckpoints(ctx, s.client, id, s.tagged[id])
			if errors.Is(r.err, zvm.ErrNotSupported) {
				r.gone, r.err = true, nil
			} else if r.err != nil {
				cancel()
			}
			results[i] = r
		})
	}
	wg.Wait()
	out := make(map[string]VPGCheckpoints, len(ids))
	next := make(map[string]*taggedState, len(ids))
	gone := 0
	var firstErr error
	for _, r := range results {
		switch {
		case r.err != nil && !errors.Is(r.err, context.Canceled):
			if firstErr == nil {
				firstErr = r.err
			}
		case r.err != nil: // cancelled after another VPG's failure
		case r.gone:
			gone++
		default:
			out[r.id] = r.cp
			if r.state != nil {
				next[r.id] = r.state
			}
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	s.tagged = next // VPGs no longer listed are forgotten
	if len(ids) > 0 && gone == len(ids) {
		return nil, fmt.Errorf("%s: every VPG answered 404: %w", zvm.EndpointCheckpointStats, zvm.ErrNotSupported)
	}
	return out, nil
}

// readVPGCheckpoints reads one VPG's statistics, then its checkpoint list since prev's
// watermark (or the earliest checkpoint), and returns the VPG's checkpoints and its new state.
func readVPGCheckpoints(ctx context.Context, c zvm.Reader, id string, prev *taggedState) (VPGCheckpoints, *taggedState, error) {
	st, err := zvm.ReadAs[*zvm.CheckpointStats](ctx, c, zvm.Request{Endpoint: zvm.EndpointCheckpointStats, ID: id})
	if err != nil {
		return VPGCheckpoints{}, nil, err
	}
	var earliest, latest time.Time
	if st.Earliest != nil {
		earliest = st.Earliest.TimeStamp.Time
	}
	if st.Latest != nil {
		latest = st.Latest.TimeStamp.Time
	}
	if latest.IsZero() {
		return VPGCheckpoints{}, nil, nil // no checkpoint: nothing tagged either
	}
	since, tagged := earliest, time.Time{}
	if prev != nil {
		tagged = prev.tagged
		if w := prev.readTo.Add(-checkpointOverlap); w.After(since) {
			since = w
		}
	}
	list, err := zvm.ReadAs[[]zvm.Checkpoint](ctx, c, zvm.Request{Endpoint: zvm.EndpointCheckpoints, ID: id, Since: since})
	if err != nil {
		return VPGCheckpoints{}, nil, err
	}
	readTo := latest
	for i := range list {
		cp := &list[i]
		if !cp.TimeStamp.Valid() {
			continue
		}
		if cp.TimeStamp.After(readTo) {
			readTo = cp.TimeStamp.Time
		}
		if cp.Tag != "" && cp.TimeStamp.After(tagged) {
			tagged = cp.TimeStamp.Time
		}
	}
	if !earliest.IsZero() && tagged.Before(earliest) {
		tagged = time.Time{} // it left the journal
	}
	return VPGCheckpoints{Latest: latest, LatestTagged: tagged}, &taggedState{readTo: readTo, tagged: tagged}, nil
}
