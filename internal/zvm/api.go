package zvm

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"strconv"
	"time"
)

// filterTimeLayout is the ZVM's UTC date filter format; the trailing Z matters: without it the
// ZVM reads the value as its local time (docs/zvm-api.md, Wire conventions).
const filterTimeLayout = "2006-01-02T15:04:05Z"

func filterTime(t time.Time) string { return t.UTC().Format(filterTimeLayout) }

// vms reads GET /v1/vms: one element per (VM, VPG) pair. A row without the top-level
// VmIdentifier or VpgIdentifier (the 10.x appliance sends only its link) takes them from the link.
func vms(ctx context.Context, c *Client, r Request) (any, error) {
	vms, err := get(ctx, c, resource{ep: r.Endpoint}, handwritten[VM](vmFields))
	for i := range vms {
		vms[i].idsFromLink()
	}
	return vms, err
}

// tasks reads GET /v1/tasks; a non-zero Since keeps the list small (startedAfterDate).
func tasks(ctx context.Context, c *Client, r Request) (any, error) {
	var q url.Values
	if !r.Since.IsZero() {
		q = url.Values{"startedAfterDate": {filterTime(r.Since)}}
	}
	return get(ctx, c, resource{ep: r.Endpoint, query: q}, list[Task]())
}

// RecoveryQuery bounds a recovery report read. Zero times are left out of the query.
type RecoveryQuery struct {
	StartTime, EndTime time.Time
	PageSize           int // default and maximum 1000
}

// maxRecoveryPages stops a ZVM that ignores pageNumber from keeping the client paging forever.
const maxRecoveryPages = 1000

// recoveryReports reads the recovery reports since r.Since (RecoveryReports).
func recoveryReports(ctx context.Context, c *Client, r Request) (any, error) {
	return c.RecoveryReports(ctx, RecoveryQuery{StartTime: r.Since})
}

// RecoveryReports reads GET /v1/reports/recovery page by page (pageNumber 1, 2, …) until a page is
// shorter than the page size.
func (c *Client) RecoveryReports(ctx context.Context, q RecoveryQuery) ([]RecoveryReport, error) {
	size := q.PageSize
	if size <= 0 || size > 1000 {
		size = 1000
	}
	base := url.Values{"pageSize": {strconv.Itoa(size)}}
	if !q.StartTime.IsZero() {
		base.Set("startTime", filterTime(q.StartTime))
	}
	if !q.EndTime.IsZero() {
		base.Set("endTime", filterTime(q.EndTime))
	}
	var all []RecoveryReport
	for page := 1; ; page++ {
		if page > maxRecoveryPages {
			return nil, fmt.Errorf("GET %s: more than %d pages of %d reports", EndpointRecoveryReports, maxRecoveryPages, size)
		}
		qp := url.Values{"pageNumber": {strconv.Itoa(page)}}
		maps.Copy(qp, base)
		items, err := get(ctx, c, resource{ep: EndpointRecoveryReports, query: qp}, list[RecoveryReport]())
		if err != nil {
			return nil, fmt.Errorf("%w (page %d)", err, page)
		}
		all = append(all, items...)
		if len(items) < size {
			return all, nil
		}
	}
}
