package zvmsim

import (
	"net/url"
	"strconv"
	"time"
)

// A VPG's journal holds a checkpoint every checkpointSpacing from its earliest checkpoint (its
// history back) to its latest (ActualRPO back), the latest included; every taggedSpacing of
// Unix time one of them is tagged. A real ZVM writes a checkpoint every few seconds: the wider
// spacing keeps the lists of a large profile small.
const (
	checkpointSpacing = time.Minute
	taggedSpacing     = 6 * time.Hour
)

// checkpoint is one journal checkpoint of a VPG.
type checkpoint struct {
	at  time.Time
	tag string
}

// checkpointRange is the earliest and latest checkpoint of live VPG l at now; ok is false while
// the VPG has none (initial sync, RPO not calculated).
func checkpointRange(l *vpgLive, now time.Time) (earliest, latest time.Time, ok bool) {
	if l.rpo < 0 {
		return time.Time{}, time.Time{}, false
	}
	latest = now.Add(-time.Duration(l.rpo) * time.Second).Truncate(time.Millisecond)
	earliest = l.earliestCheckpoint(now).Truncate(time.Millisecond)
	if earliest.After(latest) {
		earliest = latest
	}
	return earliest, latest, true
}

// checkpointsBetween lists live VPG l's checkpoints at now whose time is in [from, until] (zero:
// unbounded), oldest first.
func checkpointsBetween(l *vpgLive, now, from, until time.Time) []checkpoint {
	earliest, latest, ok := checkpointRange(l, now)
	if !ok {
		return nil
	}
	var out []checkpoint
	add := func(t time.Time) {
		if (from.IsZero() || !t.Before(from)) && (until.IsZero() || !t.After(until)) {
			out = append(out, checkpointAt(t))
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

// checkpointAt is the checkpoint at t, tagged when t is a multiple of taggedSpacing.
func checkpointAt(t time.Time) checkpoint {
	c := checkpoint{at: t}
	if t.Equal(t.Truncate(taggedSpacing)) {
		c.tag = "Scheduled " + t.UTC().Format("2006-01-02 15:04")
	}
	return c
}

func (v *view) wireCheckpoint(c checkpoint) wireCheckpoint {
	w := wireCheckpoint{CheckpointIdentifier: strconv.FormatInt(c.at.UnixMilli(), 10), TimeStamp: isoTime(c.at)}
	if c.tag != "" {
		w.Tag = &c.tag
	}
	if v.windows {
		w.Vss = new(false)
	} else {
		w.Type = new(0)
	}
	return w
}

// checkpointStats serves /v1/vpgs/{vpgIdentifier}/checkpoints/stats: {Earliest, Latest}, each
// null while the VPG has no checkpoint.
func (v *view) checkpointStats(i int) error {
	l := &v.live()[i]
	var st wireCheckpointStats
	if earliest, latest, ok := checkpointRange(l, v.now); ok {
		e, la := v.wireCheckpoint(checkpointAt(earliest)), v.wireCheckpoint(checkpointAt(latest))
		st.Earliest, st.Latest = &e, &la
	}
	return v.out.value(st)
}

// checkpointList serves /v1/vpgs/{vpgIdentifier}/checkpoints with its startDate and endDate
// filters (the report filters' formats).
func (v *view) checkpointList(i int, q url.Values) error {
	from, until, err := v.dateRange(q)
	if err != nil {
		return err
	}
	v.out.open()
	for _, c := range checkpointsBetween(&v.live()[i], v.now, from, until) {
		if err := v.out.item(v.wireCheckpoint(c)); err != nil {
			return err
		}
	}
	return v.out.close()
}

// latestTagged is the time of live VPG l's newest tagged checkpoint at now, if its journal holds
// one: every multiple of taggedSpacing between its earliest and latest checkpoint is one.
func latestTagged(l *vpgLive, now time.Time) (time.Time, bool) {
	earliest, latest, ok := checkpointRange(l, now)
	if !ok {
		return time.Time{}, false
	}
	t := latest.Truncate(taggedSpacing)
	return t, !t.Before(earliest)
}

// A VM's points in time are its VPG's journal checkpoints; the simulator keeps no Extended
// Journal Copy retention sets to mount, so RetentionSet is empty.
type wireRetentionSetRef struct {
	IsApplicationAware       bool    `json:"IsApplicationAware"`
	NumberOfVolumes          int     `json:"NumberOfVolumes"`
	RepositoryIdentifier     *string `json:"RepositoryIdentifier"`
	RepositorySiteIdentifier *string `json:"RepositorySiteIdentifier"`
	RetentionSetIdentifier   *string `json:"RetentionSetIdentifier"`
	Tier                     int     `json:"Tier"`
	TimeStamp                *string `json:"TimeStamp"`
	ZorgIdentifier           *string `json:"ZorgIdentifier"`
}

type wireAllowed struct {
	IsAllowed bool    `json:"IsAllowed"`
	Reason    *string `json:"Reason"`
}

type wirePointInTime struct {
	CanMount     wireAllowed         `json:"CanMount"`
	Checkpoint   wireCheckpoint      `json:"Checkpoint"`
	RetentionSet wireRetentionSetRef `json:"RetentionSet"`
}

type wirePointInTimeStats struct {
	Earliest *wirePointInTime `json:"Earliest"`
	Latest   *wirePointInTime `json:"Latest"`
}

func (v *view) pointInTime(c checkpoint) wirePointInTime {
	return wirePointInTime{CanMount: wireAllowed{IsAllowed: true}, Checkpoint: v.wireCheckpoint(c)}
}

// pointsInTime serves /v1/vms/{vmIdentifier}/pointsInTime (vpgIdentifier, startDate, endDate).
func (v *view) pointsInTime(vmID string, q url.Values) error {
	r, err := v.findVM(vmID, q)
	if err != nil {
		return err
	}
	from, until, err := v.dateRange(q)
	if err != nil {
		return err
	}
	v.out.open()
	for _, c := range checkpointsBetween(&v.live()[v.m.rows[r].vpg], v.now, from, until) {
		if err := v.out.item(v.pointInTime(c)); err != nil {
			return err
		}
	}
	return v.out.close()
}

// pointsInTimeStats serves /v1/vms/{vmIdentifier}/pointsInTime/stats: null members while the
// VPG has no checkpoint.
func (v *view) pointsInTimeStats(vmID string, q url.Values) error {
	r, err := v.findVM(vmID, q)
	if err != nil {
		return err
	}
	var st wirePointInTimeStats
	if earliest, latest, ok := checkpointRange(&v.live()[v.m.rows[r].vpg], v.now); ok {
		e, l := v.pointInTime(checkpointAt(earliest)), v.pointInTime(checkpointAt(latest))
		st.Earliest, st.Latest = &e, &l
	}
	return v.out.value(st)
}
