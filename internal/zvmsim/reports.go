package zvmsim

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
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
		if rq.typ, ok = sim.Canonical(sim.RecoveryTypes, s); !ok {
			return rq, badRequestf("recoveryType %q is not one of %s", s, strings.Join(sim.RecoveryTypes, ", "))
		}
	}
	if s := queryValue(q, "state"); s != "" {
		var ok bool
		if rq.state, ok = sim.Canonical(sim.RecoveryResults, s); !ok {
			return rq, badRequestf("state %q is not Success or Fail", s)
		}
	}
	return rq, nil
}

// matches says whether report r passes the query's filters.
func (rq *reportQuery) matches(m *sim.Model, r *sim.Report) bool {
	if len(rq.vpgs) > 0 && !slices.ContainsFunc(rq.vpgs, func(n string) bool { return strings.EqualFold(n, m.Vpgs[r.VPG].Name) }) {
		return false
	}
	switch {
	case rq.typ != "" && rq.typ != r.Typ,
		rq.state == "Success" && !r.Success,
		rq.state == "Fail" && r.Success,
		!rq.from.IsZero() && r.Start.Before(rq.from),
		!rq.until.IsZero() && r.End.After(rq.until):
		return false
	}
	return true
}

// recoveryReports serves one page of the filtered reports, oldest first.
func (v *view) recoveryReports(q url.Values) error {
	rq, err := parseReportQuery(q, v.m.Sites[v.role].UtcOffset)
	if err != nil {
		return err
	}
	var hits []*sim.Report
	for i := range v.m.Reports {
		if r := &v.m.Reports[i]; rq.matches(v.m, r) {
			hits = append(hits, r)
		}
	}
	slices.SortStableFunc(hits, func(a, b *sim.Report) int { return a.End.Compare(b.End) })
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
func (v *view) reportWire(r *sim.Report) *wireReport {
	prot, rec := &v.m.Sites[sim.Protected], &v.m.Sites[sim.Recovery]
	p := &v.m.Vpgs[r.VPG]
	w := wireReport{
		General: wireReportGeneral{
			EndTime:           isoTime(r.End),
			InitiatedBy:       r.InitiatedBy,
			PointInTime:       isoTime(r.Start.Add(-7 * time.Second)),
			ProtectedSiteName: prot.Name,
			RTOInSeconds:      strconv.Itoa(r.Rto),
			RecoverySiteName:  rec.Name,
			RecoveryType:      r.Typ,
			StartTime:         isoTime(r.Start),
			Status:            map[bool]string{true: "Success", false: "Fail"}[r.Success],
			VpgIdentifier:     p.ID,
			VpgName:           p.Name,
		},
		RecoveryOperationIdentifier: r.ID,
		RecoverySettings: wireReportSettings{
			Steps: []wireReportStep{},
			Vpg:   wireReportVpg{DefaultDatastoreName: v.m.Datastores[v.m.Rows[p.Rows[0]].RecDS].Name, DefaultHostName: v.m.Vras[v.m.Rows[p.Rows[0]].RecVRA].Host, DefaultNetworkName: "VM Network"},
		},
	}
	for _, ri := range p.Rows {
		row := &v.m.Rows[ri]
		w.RecoverySettings.Vms = append(w.RecoverySettings.Vms, wireReportVM{DatastoreName: v.m.Datastores[row.RecDS].Name,
			FolderName: sim.FolderName, HostName: v.m.Vras[row.RecVRA].Host, NetworkNames: []string{sim.VMNetworkName}, VmName: row.Name})
		if !v.windows {
			vm := &w.RecoverySettings.Vms[len(w.RecoverySettings.Vms)-1]
			vm.Volumes = []wireReportVMVolume{}
			for _, d := range row.Disks {
				vm.Volumes = append(vm.Volumes, wireReportVMVolume{DatastoreName: vm.DatastoreName, VolumeName: row.Name + "_" + d[len(d)-1:] + ".vmdk"})
			}
		}
	}
	return &w
}
