package zvmsim

import (
	"net/url"
	"strconv"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

func (v *view) wireCheckpoint(c sim.Checkpoint) wireCheckpoint {
	w := wireCheckpoint{CheckpointIdentifier: strconv.FormatInt(c.At.UnixMilli(), 10), TimeStamp: isoTime(c.At)}
	if c.Tag != "" {
		w.Tag = &c.Tag
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
	if earliest, latest, ok := sim.CheckpointRange(l, v.now); ok {
		e, la := v.wireCheckpoint(sim.CheckpointAt(earliest)), v.wireCheckpoint(sim.CheckpointAt(latest))
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
	for _, c := range sim.CheckpointsBetween(&v.live()[i], v.now, from, until) {
		if err := v.out.item(v.wireCheckpoint(c)); err != nil {
			return err
		}
	}
	return v.out.close()
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

func (v *view) pointInTime(c sim.Checkpoint) wirePointInTime {
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
	for _, c := range sim.CheckpointsBetween(&v.live()[v.m.Rows[r].VPG], v.now, from, until) {
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
	if earliest, latest, ok := sim.CheckpointRange(&v.live()[v.m.Rows[r].VPG], v.now); ok {
		e, l := v.pointInTime(sim.CheckpointAt(earliest)), v.pointInTime(sim.CheckpointAt(latest))
		st.Earliest, st.Latest = &e, &l
	}
	return v.out.value(st)
}
