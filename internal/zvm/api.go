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

// LocalSite reads GET /v1/localsite, the refresh's probe.
func (c *Client) LocalSite(ctx context.Context) (*LocalSite, error) {
	return get(ctx, c, resource{ep: EndpointLocalSite}, object[LocalSite]())
}

// PeerSites reads GET /v1/peersites.
func (c *Client) PeerSites(ctx context.Context) ([]PeerSite, error) {
	return get(ctx, c, resource{ep: EndpointPeerSites}, list[PeerSite]())
}

// VPGs reads GET /v1/vpgs.
func (c *Client) VPGs(ctx context.Context) ([]VPG, error) {
	return get(ctx, c, resource{ep: EndpointVPGs}, handwritten[VPG](vpgFields))
}

// VMs reads GET /v1/vms: one element per (VM, VPG) pair. A row without the top-level
// VmIdentifier or VpgIdentifier (the 10.x appliance sends only its link) takes them from the link.
func (c *Client) VMs(ctx context.Context) ([]VM, error) {
	vms, err := get(ctx, c, resource{ep: EndpointVMs}, handwritten[VM](vmFields))
	for i := range vms {
		vms[i].idsFromLink()
	}
	return vms, err
}

// EnumNames reads one of the enumerations' name lists (EndpointVPGStatusNames ...): list[code]
// is the code's name.
func (c *Client) EnumNames(ctx context.Context, ep Endpoint) ([]string, error) {
	return get(ctx, c, resource{ep: ep}, list[string]())
}

// VRAs reads GET /v1/vras.
func (c *Client) VRAs(ctx context.Context) ([]VRA, error) {
	return get(ctx, c, resource{ep: EndpointVRAs}, list[VRA]())
}

// Alerts reads GET /v1/alerts.
func (c *Client) Alerts(ctx context.Context) ([]Alert, error) {
	return get(ctx, c, resource{ep: EndpointAlerts}, list[Alert]())
}

// Datastores reads GET /v1/datastores.
func (c *Client) Datastores(ctx context.Context) ([]Datastore, error) {
	return get(ctx, c, resource{ep: EndpointDatastores}, list[Datastore]())
}

// License reads GET /v1/license.
func (c *Client) License(ctx context.Context) (*License, error) {
	return get(ctx, c, resource{ep: EndpointLicense}, object[License]())
}

// Tasks reads GET /v1/tasks; a non-zero startedAfter keeps the list small (startedAfterDate).
func (c *Client) Tasks(ctx context.Context, startedAfter time.Time) ([]Task, error) {
	var q url.Values
	if !startedAfter.IsZero() {
		q = url.Values{"startedAfterDate": {filterTime(startedAfter)}}
	}
	return get(ctx, c, resource{ep: EndpointTasks, query: q}, list[Task]())
}

// RecoveryQuery bounds a recovery report read. Zero times are left out of the query.
type RecoveryQuery struct {
	StartTime, EndTime time.Time
	PageSize           int // default and maximum 1000
}

// maxRecoveryPages stops a ZVM that ignores pageNumber from keeping the client paging forever.
const maxRecoveryPages = 1000

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

// VMStatistics reads GET /v1/statistics/vms (appliance). A Windows ZVM answers 404: the error is
// then ErrNotSupported.
func (c *Client) VMStatistics(ctx context.Context) ([]VMStatistics, error) {
	return get(ctx, c, resource{ep: EndpointVMStatistics}, handwritten[VMStatistics](vmStatisticsFields))
}
