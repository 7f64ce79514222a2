package zvm

import (
	"context"
	"net/url"
	"time"
)

// CheckpointStats is GET /v1/vpgs/{vpgIdentifier}/checkpoints/stats: the oldest and newest
// checkpoints in the VPG's journal, each null while it has none.
type CheckpointStats struct {
	Earliest *Checkpoint
	Latest   *Checkpoint
}

// CheckpointStats reads one VPG's checkpoint statistics.
func (c *Client) CheckpointStats(ctx context.Context, vpgID string) (*CheckpointStats, error) {
	return get(ctx, c, resource{ep: EndpointCheckpointStats, id: vpgID}, object[CheckpointStats]())
}

// Checkpoints lists one VPG's checkpoints from since on (startDate; zero: the whole journal).
// A journal holds one every few seconds: a day's history is tens of thousands.
func (c *Client) Checkpoints(ctx context.Context, vpgID string, since time.Time) ([]Checkpoint, error) {
	var q url.Values
	if !since.IsZero() {
		q = url.Values{"startDate": {filterTime(since)}}
	}
	return get(ctx, c, resource{ep: EndpointCheckpoints, id: vpgID, query: q}, list[Checkpoint]())
}
