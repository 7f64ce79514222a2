package zvmsim

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Paging limits of /v1/reports/recovery (docs/zvm-api.md, Recovery reports).
const (
	maxReportPage     = 1000
	defaultReportPage = 1000
)

// reportQuery is a parsed /v1/reports/recovery query.
type reportQuery struct {
	page, size  int
	vpgs        []string
	typ, state  string
	from, until time.Time // zero = unbounded
}

// parsePage reads the pageNumber and pageSize of a report query.
func parsePage(q url.Values) (page, size int, err error) {
	page, size = 1, defaultReportPage
	if s := queryValue(q, "pageNumber"); s != "" {
		if page, err = strconv.Atoi(s); err != nil || page < 1 {
			return 0, 0, badRequestf("pageNumber %q must be an integer of at least 1", s)
		}
	}
	if s := queryValue(q, "pageSize"); s != "" {
		if size, err = strconv.Atoi(s); err != nil || size < 1 || size > maxReportPage {
			return 0, 0, badRequestf("pageSize %q must be an integer from 1 to %d", s, maxReportPage)
		}
	}
	return page, size, nil
}

// parseTimeRange reads the startTime and endTime of a report query (zero: unbounded).
func parseTimeRange(q url.Values, utcOffsetMinutes int) (from, until time.Time, err error) {
	zvmLocal := time.FixedZone("ZVM local time", utcOffsetMinutes*60)
	for _, bound := range []struct {
		name string
		t    *time.Time
	}{{"startTime", &from}, {"endTime", &until}} {
		if s := queryValue(q, bound.name); s != "" {
			if *bound.t, err = parseFilterDate(s, zvmLocal); err != nil {
				return from, until, badRequestf("%s: %v", bound.name, err)
			}
		}
	}
	return from, until, nil
}

func parseReportQuery(q url.Values, utcOffsetMinutes int) (reportQuery, error) {
	rq := reportQuery{}
	var err error
	if rq.page, rq.size, err = parsePage(q); err != nil {
		return rq, err
	}
	if rq.from, rq.until, err = parseTimeRange(q, utcOffsetMinutes); err != nil {
		return rq, err
	}
	if s := queryValue(q, "vpgName"); s != "" {
		for name := range strings.SplitSeq(s, ",") {
			rq.vpgs = append(rq.vpgs, strings.TrimSpace(name))
		}
	}
	if s := queryValue(q, "recoveryType"); s != "" {
		var ok bool
		if rq.typ, ok = canonical(recoveryTypes, s); !ok {
			return rq, badRequestf("recoveryType %q is not one of %s", s, strings.Join(recoveryTypes, ", "))
		}
	}
	if s := queryValue(q, "state"); s != "" {
		var ok bool
		if rq.state, ok = canonical(recoveryResults, s); !ok {
			return rq, badRequestf("state %q is not Success or Fail", s)
		}
	}
	return rq, nil
}

// matches says whether report r passes the query's filters.
func (rq *reportQuery) matches(m *model, r *report) bool {
	if len(rq.vpgs) > 0 && !slices.ContainsFunc(rq.vpgs, func(n string) bool { return strings.EqualFold(n, m.vpgs[r.vpg].name) }) {
		return false
	}
	switch {
	case rq.typ != "" && rq.typ != r.typ,
		rq.state == "Success" && !r.success,
		rq.state == "Fail" && r.success,
		!rq.from.IsZero() && r.start.Before(rq.from),
		!rq.until.IsZero() && r.end.After(rq.until):
		return false
	}
	return true
}

// recoveryReports serves one page of the filtered reports, oldest first.
func (v *view) recoveryReports(q url.Values) error {
	rq, err := parseReportQuery(q, v.m.sites[v.role].utcOffset)
	if err != nil {
		return err
	}
	var hits []*report
	for i := range v.m.reports {
		if r := &v.m.reports[i]; rq.matches(v.m, r) {
			hits = append(hits, r)
		}
	}
	slices.SortStableFunc(hits, func(a, b *report) int { return a.end.Compare(b.end) })
	from := min(len(hits), (rq.page-1)*rq.size)
	hits = hits[from:min(len(hits), from+rq.size)]
	v.out.open()
	for _, r := range hits {
		if err := v.out.item(v.reportWire(r)); err != nil {
			return err
		}
	}
	return v.out.close()
}

// reportWire is report r as the ZVM sends it.
func (v *view) reportWire(r *report) *wireReport {
	prot, rec := &v.m.sites[Protected], &v.m.sites[Recovery]
	p := &v.m.vpgs[r.vpg]
	w := wireReport{
		General: wireReportGeneral{
			EndTime:           isoTime(r.end),
			InitiatedBy:       r.initiatedBy,
			PointInTime:       isoTime(r.start.Add(-7 * time.Second)),
			ProtectedSiteName: prot.name,
			RTOInSeconds:      strconv.Itoa(r.rto),
			RecoverySiteName:  rec.name,
			RecoveryType:      r.typ,
			StartTime:         isoTime(r.start),
			Status:            map[bool]string{true: "Success", false: "Fail"}[r.success],
			VpgIdentifier:     p.id,
			VpgName:           p.name,
		},
		RecoveryOperationIdentifier: r.id,
		RecoverySettings: wireReportSettings{
			Steps: []wireReportStep{},
			Vpg:   wireReportVpg{DefaultDatastoreName: v.m.datastores[v.m.rows[p.rows[0]].recDS].name, DefaultHostName: v.m.vras[v.m.rows[p.rows[0]].recVRA].host, DefaultNetworkName: "VM Network"},
		},
	}
	for _, ri := range p.rows {
		row := &v.m.rows[ri]
		w.RecoverySettings.Vms = append(w.RecoverySettings.Vms, wireReportVM{DatastoreName: v.m.datastores[row.recDS].name,
			FolderName: folderName, HostName: v.m.vras[row.recVRA].host, NetworkNames: []string{vmNetworkName}, VmName: row.name})
		if !v.windows {
			vm := &w.RecoverySettings.Vms[len(w.RecoverySettings.Vms)-1]
			vm.Volumes = []wireReportVMVolume{}
			for _, d := range row.disks {
				vm.Volumes = append(vm.Volumes, wireReportVMVolume{DatastoreName: vm.DatastoreName, VolumeName: row.name + "_" + d[len(d)-1:] + ".vmdk"})
			}
		}
	}
	return &w
}
