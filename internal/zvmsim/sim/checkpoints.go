package sim

import "time"

// A VPG's journal holds a checkpoint every checkpointSpacing from its earliest checkpoint (its
// history back) to its latest (ActualRPO back), the latest included; every taggedSpacing of
// Unix time one of them is tagged. A real ZVM writes a checkpoint every few seconds: the wider
// spacing keeps the lists of a large profile small.
const (
	checkpointSpacing = time.Minute
	TaggedSpacing     = 6 * time.Hour
)

// Checkpoint is one journal checkpoint of a VPG.
type Checkpoint struct {
	At  time.Time
	Tag string
}

// CheckpointRange is the earliest and latest checkpoint of live VPG l at now; ok is false while
// the VPG has none (initial sync, RPO not calculated).
func CheckpointRange(l *VPGLive, now time.Time) (earliest, latest time.Time, ok bool) {
	if l.RPO < 0 {
		return time.Time{}, time.Time{}, false
	}
	latest = now.Add(-time.Duration(l.RPO) * time.Second).Truncate(time.Millisecond)
	earliest = l.EarliestCheckpoint(now).Truncate(time.Millisecond)
	if earliest.After(latest) {
		earliest = latest
	}
	return earliest, latest, true
}

// CheckpointsBetween lists live VPG l's checkpoints at now whose time is in [from, until] (zero:
// unbounded), oldest first.
func CheckpointsBetween(l *VPGLive, now, from, until time.Time) []Checkpoint {
	earliest, latest, ok := CheckpointRange(l, now)
	if !ok {
		return nil
	}
	var out []Checkpoint
	add := func(t time.Time) {
		if (from.IsZero() || !t.Before(from)) && (until.IsZero() || !t.After(until)) {
			out = append(out, CheckpointAt(t))
		}
	}
	t := earliest.Truncate(checkpointSpacing)
	if t.Before(earliest) {
		t = t.Add(checkpointSpacing)
	}
	if !t.Equal(earliest) {
		add(earliest)
	}
	start := t
	if !from.IsZero() && from.After(start) {
		start = from.Truncate(checkpointSpacing)
		if start.Before(from) {
			start = start.Add(checkpointSpacing)
		}
	}
	for t = start; t.Before(latest); t = t.Add(checkpointSpacing) {
		add(t)
	}
	add(latest)
	return out
}

// CheckpointAt is the checkpoint at t, tagged when t is a multiple of taggedSpacing.
func CheckpointAt(t time.Time) Checkpoint {
	c := Checkpoint{At: t}
	if t.Equal(t.Truncate(TaggedSpacing)) {
		c.Tag = "Scheduled " + t.UTC().Format("2006-01-02 15:04")
	}
	return c
}

// LatestTagged is the time of live VPG l's newest tagged checkpoint at now, if its journal holds
// one: every multiple of taggedSpacing between its earliest and latest checkpoint is one.
func LatestTagged(l *VPGLive, now time.Time) (time.Time, bool) {
	earliest, latest, ok := CheckpointRange(l, now)
	if !ok {
		return time.Time{}, false
	}
	t := latest.Truncate(TaggedSpacing)
	return t, !t.Before(earliest)
}
