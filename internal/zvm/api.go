package zvm

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"strconv"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/jsonstream"
)

// filterTimeLayout is the ZVM's UTC date filter format; the trailing Z matters: without it the
// ZVM reads the value as its local time (docs/zvm-api.md, Wire conventions).
const filterTimeLayout = "2006-01-02T15:04:05Z"

func filterTime(t time.Time) string { return t.UTC().Format(filterTimeLayout) }

// getObject fetches a single JSON object; null is an error, since every caller needs the object.
func getObject[T any](ctx context.Context, c *Client, ep Endpoint) (*T, error) {
	var v *T
	if err := c.get(ctx, ep, nil, &v); err != nil {
		return nil, err
	}
	if v == nil {
		return nil, fmt.Errorf("GET %s: the ZVM answered null", ep)
	}
	return v, nil
}

// getJSONList fetches a JSON array, decoding it element by element with encoding/json.
func getJSONList[T any](ctx context.Context, c *Client, ep Endpoint, q url.Values) ([]T, error) {
	var items []T
	if err := c.get(ctx, ep, q, jsonList[T]{&items}); err != nil {
		return nil, err
	}
	return items, nil
}

// getHandwrittenList fetches a JSON array of a type with a hand-written decoder (decode_stream.go).
func getHandwrittenList[T any, P interface {
	*T
	member
}](ctx context.Context, c *Client, ep Endpoint, fields *jsonstream.Fields) ([]T, error) {
	var items []T
	if err := c.get(ctx, ep, nil, handwrittenList[T, P]{&items, fields}); err != nil {
		return nil, err
	}
	return items, nil
}

// LocalSite reads GET /v1/localsite, the refresh's probe.
func (c *Client) LocalSite(ctx context.Context) (*LocalSite, error) {
	return getObject[LocalSite](ctx, c, EndpointLocalSite)
}

// PeerSites reads GET /v1/peersites.
func (c *Client) PeerSites(ctx context.Context) ([]PeerSite, error) {
	return getJSONList[PeerSite](ctx, c, EndpointPeerSites, nil)
}

// VPGs reads GET /v1/vpgs.
func (c *Client) VPGs(ctx context.Context) ([]VPG, error) {
	return getHandwrittenList[VPG](ctx, c, EndpointVPGs, vpgFields)
}

// VMs reads GET /v1/vms: one element per (VM, VPG) pair. A row without the top-level
// VmIdentifier or VpgIdentifier (the 10.x appliance sends only its link) takes them from the link.
func (c *Client) VMs(ctx context.Context) ([]VM, error) {
	vms, err := getHandwrittenList[VM](ctx, c, EndpointVMs, vmFields)
	for i := range vms {
		vms[i].idsFromLink()
	}
	return vms, err
}

// EnumNames reads one of the enumerations' name lists (EndpointVPGStatusNames ...): list[code]
// is the code's name.
func (c *Client) EnumNames(ctx context.Context, ep Endpoint) ([]string, error) {
	return getJSONList[string](ctx, c, ep, nil)
}

// VRAs reads GET /v1/vras.
func (c *Client) VRAs(ctx context.Context) ([]VRA, error) {
	return getJSONList[VRA](ctx, c, EndpointVRAs, nil)
}

// Alerts reads GET /v1/alerts.
func (c *Client) Alerts(ctx context.Context) ([]Alert, error) {
	return getJSONList[Alert](ctx, c, EndpointAlerts, nil)
}

// Datastores reads GET /v1/datastores.
func (c *Client) Datastores(ctx context.Context) ([]Datastore, error) {
	return getJSONList[Datastore](ctx, c, EndpointDatastores, nil)
}

// License reads GET /v1/license.
func (c *Client) License(ctx context.Context) (*License, error) {
	return getObject[License](ctx, c, EndpointLicense)
}

// Tasks reads GET /v1/tasks; a non-zero startedAfter keeps the list small (startedAfterDate).
func (c *Client) Tasks(ctx context.Context, startedAfter time.Time) ([]Task, error) {
	var q url.Values
	if !startedAfter.IsZero() {
		q = url.Values{"startedAfterDate": {filterTime(startedAfter)}}
	}
	return getJSONList[Task](ctx, c, EndpointTasks, q)
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
		items, err := getJSONList[RecoveryReport](ctx, c, EndpointRecoveryReports, qp)
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
	return getHandwrittenList[VMStatistics](ctx, c, EndpointVMStatistics, vmStatisticsFields)
}
