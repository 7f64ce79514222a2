package report

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"time"
)

// CSVHeader is evidence.csv's header: one row per VPG and objective.
var CSVHeader = []string{"vpg", "site", "objective", "target", "achieved", "status", "period_start", "period_end", "data_completeness", "exception"}

// WriteCSV writes evidence.csv.
func WriteCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, v := range r.VPGs {
		for _, o := range v.Objectives {
			row := []string{v.VPG, v.Site, o.Objective, o.Target, o.Achieved, o.Status,
				r.Period.Start.Format(time.RFC3339), r.Period.End.Format(time.RFC3339),
				Percent(v.DataCompleteness), o.Exception}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes evidence.json: the whole report.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
