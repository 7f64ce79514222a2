package zvm

import (
	"context"
	"net/url"
)

// CheckpointStats is GET /v1/vpgs/{vpgIdentifier}/checkpoints/stats: the oldest and newest
// checkpoints in the VPG's journal, each null while it has none.
type CheckpointStats struct {
	Earliest *Checkpoint
	Latest   *Checkpoint
}

// checkpoints lists one VPG's (r.ID) checkpoints from r.Since on (startDate; zero: the whole
// journal). A journal holds one every few seconds: a day's history is tens of thousands.
func checkpoints(ctx context.Context, c *Client, r Request) (any, error) {
	var q url.Values
	if !r.Since.IsZero() {
		q = url.Values{"startDate": {filterTime(r.Since)}}
	}
	return get(ctx, c, resource{ep: r.Endpoint, id: r.ID, query: q}, list[Checkpoint]())
}
