package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// pdfDoc is report.pdf in the making: the same sections and figures as the HTML, drawn with fpdf's
// core fonts (no font files, no external program).
type pdfDoc struct {
	*fpdf.Fpdf
	tr     func(string) string
	width  float64 // usable width
	margin float64
}

var (
	pdfAccent = [3]int{31, 78, 121}
	pdfMuted  = [3]int{91, 102, 117}
	pdfBand   = [3]int{243, 245, 248}
	pdfLine   = [3]int{213, 219, 227}
	pdfStatus = map[string][3]int{
		StatusPass: {30, 123, 52}, TestOK: {30, 123, 52},
		StatusFail: {180, 35, 24}, TestOverdue: {180, 35, 24}, TestNever: {180, 35, 24}, RTOBreach: {180, 35, 24},
		StatusExcepted: {154, 103, 0}, StatusUnknown: {154, 103, 0}, VerdictAttention: {154, 103, 0},
	}
)

// WritePDF writes report.pdf.
func WritePDF(w io.Writer, r *Report, o PDFOptions) error {
	size := o.PageSize
	if size == "" {
		size = "A4"
	}
	f := fpdf.New("P", "mm", size, "")
	f.SetCreator("zerto_report "+r.Version, false)
	f.SetTitle(r.Title, false)
	f.SetCreationDate(r.GeneratedAt)
	f.SetModificationDate(r.GeneratedAt)
	f.SetCompression(true)
	const margin = 14
	f.SetMargins(margin, 16, margin)
	f.SetAutoPageBreak(true, 16)
	pw, _ := f.GetPageSize()
	d := &pdfDoc{Fpdf: f, tr: f.UnicodeTranslatorFromDescriptor(""), width: pw - 2*margin, margin: margin}
	f.SetFooterFunc(func() {
		f.SetY(-11)
		d.font("", 8, pdfMuted)
		f.CellFormat(0, 5, d.tr(fmt.Sprintf("%s · %s to %s · page %d", r.Title, Time(r.Period.Start), Time(r.Period.End), f.PageNo())), "", 0, "C", false, 0, "")
	})
	f.AddPage()
	d.cover(r)
	d.summary(r)
	d.rpo(r)
	d.journal(r)
	d.testing(r)
	d.operations(r)
	d.coverage(r)
	d.exceptions(r)
	d.signoff(r)
	d.method(r)
	if err := f.Error(); err != nil {
		return err
	}
	return f.Output(w)
}

func (d *pdfDoc) font(style string, size float64, c [3]int) {
	d.SetFont("Helvetica", style, size)
	d.SetTextColor(c[0], c[1], c[2])
}

func (d *pdfDoc) para(text string, size float64, c [3]int) {
	d.font("", size, c)
	d.MultiCell(0, size*0.45, d.tr(text), "", "L", false)
	d.Ln(1)
}

func (d *pdfDoc) heading(text string, newPage bool) {
	if newPage {
		d.AddPage()
	}
	d.font("B", 14, pdfAccent)
	d.CellFormat(0, 8, d.tr(text), "B", 1, "L", false, 0, "")
	d.Ln(2)
}

// table draws a table whose cells wrap; widths are fractions of the usable width. A column whose
// header starts with "#" is right-aligned (the "#" is not shown).
func (d *pdfDoc) table(caption string, headers []string, widths []float64, rows [][]string) {
	const lineH = 3.6
	d.font("B", 9, [3]int{28, 36, 48})
	d.CellFormat(0, 6, d.tr(caption), "", 1, "L", false, 0, "")
	ws := make([]float64, len(widths))
	aligns := make([]string, len(headers))
	hs := make([]string, len(headers))
	for i := range widths {
		ws[i] = widths[i] * d.width
		aligns[i] = "L"
		hs[i] = headers[i]
		if strings.HasPrefix(hs[i], "#") {
			aligns[i], hs[i] = "R", hs[i][1:]
		}
	}
	d.row(hs, ws, aligns, lineH, true)
	for _, r := range rows {
		d.row(r, ws, aligns, lineH, false)
	}
	d.Ln(3)
}

func (d *pdfDoc) row(cells []string, ws []float64, aligns []string, lineH float64, header bool) {
	style := ""
	if header {
		style = "B"
	}
	d.font(style, 7.5, [3]int{28, 36, 48})
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		lines[i] = d.SplitText(d.tr(c), ws[i]-2)
		n = max(n, len(lines[i]))
	}
	h := float64(n)*lineH + 1.6
	_, ph := d.GetPageSize()
	if d.GetY()+h > ph-18 {
		d.AddPage()
	}
	x, y := d.GetX(), d.GetY()
	d.SetDrawColor(pdfLine[0], pdfLine[1], pdfLine[2])
	for i := range cells {
		fill := "D"
		if header {
			d.SetFillColor(pdfBand[0], pdfBand[1], pdfBand[2])
			fill = "FD"
		}
		d.Rect(x, y, ws[i], h, fill)
		c, ok := pdfStatus[cells[i]]
		if !ok || header {
			c = [3]int{28, 36, 48}
		}
		d.font(style, 7.5, c)
		for j, l := range lines[i] {
			d.SetXY(x+1, y+0.8+float64(j)*lineH)
			d.CellFormat(ws[i]-2, lineH, l, "", 0, aligns[i], false, 0, "")
		}
		x += ws[i]
	}
	d.SetXY(d.margin, y+h)
}

func (d *pdfDoc) cover(r *Report) {
	d.font("B", 20, pdfAccent)
	d.MultiCell(0, 9, d.tr(r.Title), "", "L", false)
	d.para(fmt.Sprintf("Period %s to %s · generated %s by zerto_report %s", Time(r.Period.Start), Time(r.Period.End), Time(r.GeneratedAt), r.Version), 9.5, pdfMuted)
	d.para(fmt.Sprintf("Source: Prometheus %s, series %s", r.PrometheusURL, r.Selector), 9.5, pdfMuted)
	d.SetDrawColor(pdfAccent[0], pdfAccent[1], pdfAccent[2])
	d.SetLineWidth(0.8)
	d.Line(d.margin, d.GetY()+1, d.margin+d.width, d.GetY()+1)
	d.SetLineWidth(0.2)
	d.Ln(4)
}

func (d *pdfDoc) summary(r *Report) {
	d.heading("1. Executive summary", false)
	s := r.Summary
	d.font("", 11, [3]int{28, 36, 48})
	d.CellFormat(32, 8, "Overall result:", "", 0, "L", false, 0, "")
	c, ok := pdfStatus[s.Verdict]
	if !ok {
		c = pdfStatus[StatusPass]
	}
	if s.Verdict == VerdictFail {
		c = pdfStatus[StatusFail]
	}
	d.SetFillColor(c[0], c[1], c[2])
	d.SetTextColor(255, 255, 255)
	d.SetFont("Helvetica", "B", 11)
	d.CellFormat(32, 8, strings.ToUpper(s.Verdict), "", 1, "C", true, 0, "")
	d.Ln(2)
	for _, reason := range s.Reasons {
		d.para("- "+reason, 9.5, [3]int{28, 36, 48})
	}
	d.para("Rule: "+r.Policy.VerdictRule, 8.5, pdfMuted)
	var rows [][]string
	for _, o := range objectives {
		rows = append(rows, []string{ObjectiveTitle(o), strconv.Itoa(s.Meeting[o]), strconv.Itoa(s.Failing[o]), strconv.Itoa(s.Excepted[o]), strconv.Itoa(s.Unknown[o])})
	}
	d.table(fmt.Sprintf("VPGs per objective (%d VPGs)", s.VPGs), []string{"Objective", "#Meeting", "#Failing", "#Excepted", "#Not judged"}, []float64{.36, .16, .16, .16, .16}, rows)
	rows = nil
	for _, v := range r.VPGs {
		row := []string{v.VPG}
		for _, o := range v.Objectives {
			row = append(row, o.Status)
		}
		rows = append(rows, append(row, partial(v)))
	}
	d.table("Objectives per VPG", []string{"VPG", "RPO", "Journal history", "Failover test", "RTO", "#Data completeness"}, []float64{.24, .13, .13, .13, .13, .24}, rows)
	d.table("Facts", []string{"Item", "Value"}, []float64{.4, .6}, [][]string{
		{"VPGs", strconv.Itoa(s.VPGs)},
		{"VPGs with incomplete data", strconv.Itoa(s.PartialData)},
		{"VPGs with an encryption suspicion", strconv.Itoa(s.EncryptionVPGs)},
		{"Protected VMs (end of period)", Count(s.ProtectedVMs)},
		{"Unprotected VMs of the local sites", Count(s.UnprotectedVMs)},
		{"Policy", fmt.Sprintf("RPO and journal history within target for %s of the period; journal history at least %s of its target; a successful failover test every %s unless the SLA configuration sets another interval",
			Percent(r.Policy.RPOObjective), Percent(r.Policy.JournalHistoryRatio), Duration(r.Policy.TestIntervalSeconds))},
	})
}

func partial(v VPG) string {
	if v.Partial {
		return Percent(v.DataCompleteness) + " (partial)"
	}
	return Percent(v.DataCompleteness)
}

func (d *pdfDoc) rpo(r *Report) {
	d.heading("2. Recovery point objective (RPO)", true)
	d.para(fmt.Sprintf("Share of the period's %s steps with an RPO sample in which the worst actual RPO of the VPG's two sites was within its target. Data completeness is the share of all steps with a sample; figures of VPGs below 100 %% are partial and are not extrapolated.", Duration(r.Period.StepSeconds)), 8.5, pdfMuted)
	var rows [][]string
	for _, v := range r.VPGs {
		rows = append(rows, []string{v.VPG, v.Site, optDuration(v.RPOTargetSeconds), optPercent(v.RPOComplianceRatio), optDuration(v.WorstRPOSeconds), optTime(v.WorstRPOAt),
			Minutes(v.RPOBreachSeconds), strconv.Itoa(v.RPOBreachEpisodes), partial(v), v.Objectives[0].Status})
	}
	d.table("RPO per VPG", []string{"VPG", "Site", "#RPO target", "#Within target", "#Worst RPO", "Worst at", "#Minutes in breach", "#Breach episodes", "#Data completeness", "Status"},
		[]float64{.13, .09, .08, .1, .08, .13, .09, .09, .13, .08}, rows)
	for _, v := range r.Breached() {
		d.chart(v)
	}
}

// chart draws a VPG's worst RPO per bucket against its target, as the HTML's SVG does.
func (d *pdfDoc) chart(v VPG) {
	const h = 42.0
	_, ph := d.GetPageSize()
	if d.GetY()+h+12 > ph-18 {
		d.AddPage()
	}
	d.font("B", 9, [3]int{28, 36, 48})
	d.CellFormat(0, 6, d.tr("RPO of "+v.VPG+" over the period (red: worst actual RPO; blue dashed: target)"), "", 1, "L", false, 0, "")
	left, top, w := d.margin+18, d.GetY(), d.width-20
	n := len(v.chart)
	x, y, maxY := v.chartScale(left, top, w, h)
	d.SetDrawColor(pdfLine[0], pdfLine[1], pdfLine[2])
	d.Rect(left, top, w, h, "D")
	d.font("", 6.5, pdfMuted)
	for _, frac := range []float64{0, 0.5, 1} {
		val := maxY / 1.1 * frac
		d.SetXY(d.margin, y(val)-1.5)
		d.CellFormat(17, 3, Duration(val), "", 0, "R", false, 0, "")
	}
	d.SetLineWidth(0.35)
	d.SetDrawColor(180, 35, 24)
	for i := 1; i < n; i++ {
		if v.chart[i].Has && v.chart[i-1].Has {
			d.Line(x(i-1), y(v.chart[i-1].RPO), x(i), y(v.chart[i].RPO))
		}
	}
	d.SetDrawColor(pdfAccent[0], pdfAccent[1], pdfAccent[2])
	d.SetDashPattern([]float64{1.5, 1}, 0)
	for i := 1; i < n; i++ {
		if v.chart[i].Has && v.chart[i-1].Has {
			d.Line(x(i-1), y(v.chart[i-1].Target), x(i), y(v.chart[i].Target))
		}
	}
	d.SetDashPattern(nil, 0)
	d.SetLineWidth(0.2)
	if n > 0 {
		d.SetXY(left, top+h+0.5)
		d.CellFormat(w/2, 3, v.chart[0].T.Format("2006-01-02"), "", 0, "L", false, 0, "")
		d.CellFormat(w/2, 3, v.chart[n-1].T.Format("2006-01-02"), "", 0, "R", false, 0, "")
	}
	d.SetXY(d.margin, top+h+6)
}

func (d *pdfDoc) journal(r *Report) {
	d.heading("3. Journal history", true)
	d.para(fmt.Sprintf("Share of the steps with both series in which the least journal history of the VPG's sites was at least %s of its target.", Percent(r.Policy.JournalHistoryRatio)), 8.5, pdfMuted)
	var rows [][]string
	for _, v := range r.VPGs {
		rows = append(rows, []string{v.VPG, optDuration(v.JournalTargetSeconds), optDuration(v.JournalMinSeconds), optPercent(v.JournalComplianceRatio), v.Objectives[1].Status})
	}
	d.table("Journal history per VPG", []string{"VPG", "#History target", "#Least history", "#At or above threshold", "Status"}, []float64{.28, .18, .18, .2, .16}, rows)
}

func (d *pdfDoc) testing(r *Report) {
	d.heading("4. Failover testing and recovery time (RTO)", true)
	d.para("Failover tests: "+r.RecoverySource+".", 8.5, pdfMuted)
	var rows [][]string
	for _, v := range r.VPGs {
		rows = append(rows, []string{v.VPG, optTime(v.LastTest), optDuration(v.LastRTOSeconds), optDuration(v.RTOTargetSeconds), v.RTOStatus,
			strconv.Itoa(len(v.Tests)), strconv.Itoa(v.FailedTests), Duration(v.TestIntervalSeconds), optTime(v.NextTestDue), v.TestStatus})
	}
	d.table("Failover tests and RTO per VPG", []string{"VPG", "Last successful test", "#Achieved RTO", "#RTO target", "RTO status", "#Tests in period", "#Failed", "#Test interval", "Next due", "Test status"},
		[]float64{.12, .13, .09, .08, .1, .08, .07, .08, .13, .12}, rows)
}

func (d *pdfDoc) operations(r *Report) {
	d.heading("5. Operations", true)
	var rows [][]string
	for _, rec := range r.Recoveries() {
		by, pit := rec.InitiatedBy, "not read"
		if by == "" {
			by = "not read"
		}
		if rec.PointInTime != nil {
			pit = Time(*rec.PointInTime)
		}
		notes := rec.Notes
		if notes != "" && len(rec.Steps) > 0 {
			notes += "; "
		}
		rows = append(rows, []string{rec.VPG, rec.Operation, Time(rec.End), rec.Result, optDuration(rec.RTOSeconds), by, pit, notes + rec.StepSummary()})
	}
	if len(rows) == 0 {
		rows = [][]string{{"None in the period.", "", "", "", "", "", "", ""}}
	}
	d.table("Failover tests, failovers and moves in the period", []string{"VPG", "Operation", "Ended", "Result", "#RTO", "Initiated by", "Point in time", "Notes and steps"},
		[]float64{.12, .12, .13, .08, .08, .1, .13, .24}, rows)
	rows = nil
	for _, a := range r.Alerts {
		rows = append(rows, []string{a.Alert, a.Severity, a.VPG, Time(a.FirstSeen), Time(a.LastSeen), Duration(a.DurationSeconds)})
	}
	if len(rows) == 0 {
		rows = [][]string{{"No alert of the mixin fired in the period.", "", "", "", "", ""}}
	}
	d.table("Alert episodes of the Zerto mixin (Prometheus ALERTS, firing)", []string{"Alert", "Severity", "VPG", "First seen", "Last seen", "#Duration"}, []float64{.24, .1, .14, .19, .19, .14}, rows)
	rows = nil
	for _, v := range r.VPGs {
		first := "none"
		if v.EncryptionFirstSuspected != nil {
			first = Time(*v.EncryptionFirstSuspected)
		}
		rows = append(rows, []string{v.VPG, strconv.Itoa(v.EncryptionEpisodes), first, Duration(v.EncryptionSeconds), strconv.Itoa(v.EJCFailedRuns)})
	}
	d.table("Encryption suspicions and Extended Journal Copy per VPG", []string{"VPG", "#Encryption suspicion episodes", "First suspected", "#Time suspected", "#Failed EJC runs"}, []float64{.24, .2, .22, .17, .17}, rows)
	rows = nil
	for _, repo := range r.Repositories {
		im := "no"
		if repo.Immutable {
			im = "yes"
		}
		rows = append(rows, []string{repo.Repository, im})
	}
	if len(rows) == 0 {
		rows = [][]string{{"No repository reported.", ""}}
	}
	d.table("Extended Journal Copy repositories (end of period)", []string{"Repository", "Immutable"}, []float64{.6, .4}, rows)
}

func (d *pdfDoc) coverage(r *Report) {
	d.heading("6. Coverage and data completeness", true)
	var rows [][]string
	for _, v := range r.VPGs {
		rows = append(rows, []string{v.VPG, v.Site, v.RecoverySite, optCount(v.ProtectedVMs), partial(v)})
	}
	d.table("Protected VMs and data completeness per VPG", []string{"VPG", "Protected site", "Recovery site", "#Protected VMs", "#Data completeness"}, []float64{.24, .2, .2, .16, .2}, rows)
	rows = nil
	for _, s := range r.Sites {
		rows = append(rows, []string{s.Site, Count(s.UnprotectedVMs)})
	}
	if len(rows) == 0 {
		rows = [][]string{{"Not reported.", ""}}
	}
	d.table("Unprotected VMs of the local sites (end of period)", []string{"Site", "#Unprotected VMs"}, []float64{.6, .4}, rows)
}

func (d *pdfDoc) exceptions(r *Report) {
	d.heading("7. Exceptions (accepted risks)", true)
	var rows [][]string
	for _, e := range r.Exceptions {
		applies := "VPG " + e.VPG
		if e.VPG == "" {
			applies = labelString(e.Match)
		}
		objs := "all"
		if len(e.Objectives) > 0 {
			var t []string
			for _, o := range e.Objectives {
				t = append(t, ObjectiveTitle(o))
			}
			objs = strings.Join(t, ", ")
		}
		vpgs := strings.Join(e.VPGs, ", ")
		if vpgs == "" {
			vpgs = "none"
		}
		state := "in force"
		if e.Expired {
			state = "expired, not applied"
		}
		rows = append(rows, []string{applies, objs, e.Reason, e.ApprovedBy, e.Until, vpgs, state})
	}
	if len(rows) == 0 {
		rows = [][]string{{"No exceptions.", "", "", "", "", "", ""}}
	}
	file := "no exceptions file"
	if r.Policy.ExceptionsFile != "" {
		file = r.Policy.ExceptionsFile
	}
	d.table("Exceptions of "+file, []string{"Applies to", "Objectives", "Reason", "Approved by", "Until", "VPGs covered", "State"}, []float64{.14, .12, .24, .13, .11, .14, .12}, rows)
}

func (d *pdfDoc) signoff(r *Report) {
	d.heading("8. Sign-off", true)
	d.para(fmt.Sprintf("I have reviewed this report for the period %s to %s and the exceptions it lists.", Time(r.Period.Start), Time(r.Period.End)), 10, [3]int{28, 36, 48})
	d.Ln(6)
	half := (d.width - 12) / 2
	d.SetDrawColor(28, 36, 48)
	for _, pair := range [][2]string{{"Reviewer", "Role"}, {"Date", "Signature"}} {
		y := d.GetY() + 14
		d.Line(d.margin, y, d.margin+half, y)
		d.Line(d.margin+half+12, y, d.margin+d.width, y)
		d.font("", 8.5, pdfMuted)
		d.SetXY(d.margin, y+1)
		d.CellFormat(half, 4, pair[0], "", 0, "L", false, 0, "")
		d.SetXY(d.margin+half+12, y+1)
		d.CellFormat(half, 4, pair[1], "", 1, "L", false, 0, "")
		d.Ln(6)
	}
}

func (d *pdfDoc) method(r *Report) {
	d.heading("Appendix: method", true)
	d.table("Facts", []string{"Item", "Value"}, []float64{.2, .8}, [][]string{
		{"Generated", r.GeneratedAt.Format("2006-01-02T15:04:05Z07:00")},
		{"Tool", "zerto_report " + r.Version},
		{"Period", r.Period.Start.Format("2006-01-02T15:04:05Z07:00") + " to " + r.Period.End.Format("2006-01-02T15:04:05Z07:00")},
		{"Step", Duration(r.Period.StepSeconds) + " (each step covers the samples of the step-long window ending at it)"},
		{"Prometheus", r.PrometheusURL},
		{"Selector", r.Selector},
		{"Failover tests", r.RecoverySource},
	})
	d.para("Every figure is computed from the exporter's raw series, not from recording rules. A VPG is one row across both sites of its pair: its series are aggregated by their VPG labels, as the Zerto mixin's alerts do. A breach episode is a run of consecutive steps above target; a step without data ends it.", 8.5, pdfMuted)
	d.font("B", 10, [3]int{28, 36, 48})
	d.CellFormat(0, 7, "PromQL queries", "", 1, "L", false, 0, "")
	for _, q := range r.Queries {
		d.para(q.Purpose, 8.5, pdfMuted)
		d.SetFont("Courier", "", 7.5)
		d.SetTextColor(28, 36, 48)
		d.SetFillColor(pdfBand[0], pdfBand[1], pdfBand[2])
		d.MultiCell(0, 3.4, d.tr(q.Query), "", "L", true)
		d.Ln(2)
	}
}
