package report

import (
	"errors"
	"fmt"
	"time"
)

// Named periods of --period: whole calendar months, quarters or years before now, in UTC.
const (
	LastMonth   = "last-month"
	LastQuarter = "last-quarter"
	LastYear    = "last-year"
)

// ParseTime reads --from or --to: RFC 3339, or a date (midnight UTC of that day).
func ParseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is neither RFC 3339 (2026-11-01T00:00:00Z) nor a date (2026-11-01)", s)
}

// NamedPeriod returns the calendar period name stands for, the last complete one before now.
func NamedPeriod(name string, now time.Time) (from, to time.Time, err error) {
	now = now.UTC()
	switch name {
	case LastMonth:
		to = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
		return to.AddDate(0, -1, 0), to, nil
	case LastQuarter:
		q := (int(now.Month()) - 1) / 3
		to = time.Date(now.Year(), time.Month(q*3+1), 1, 0, 0, 0, 0, time.UTC)
		return to.AddDate(0, -3, 0), to, nil
	case LastYear:
		to = time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		return to.AddDate(-1, 0, 0), to, nil
	}
	return from, to, fmt.Errorf("unknown period %q: one of %s, %s, %s", name, LastMonth, LastQuarter, LastYear)
}

// NewPeriod checks a period against now and the step: it must end by now, start before it ends,
// and hold a whole number of steps (its end is moved back to the last whole step).
func NewPeriod(from, to time.Time, step time.Duration, now time.Time) (Period, error) {
	switch {
	case step <= 0:
		return Period{}, fmt.Errorf("the query step must be positive, got %s", step)
	case !from.Before(to):
		return Period{}, fmt.Errorf("the period starts (%s) at or after its end (%s)", from.Format(time.RFC3339), to.Format(time.RFC3339))
	case from.After(now):
		return Period{}, fmt.Errorf("the period starts in the future (%s; now is %s): there is no history to report yet", from.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	case to.After(now):
		return Period{}, fmt.Errorf("the period ends in the future (%s; now is %s): a report of an unfinished period would change later; end it by now", to.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	n := to.Sub(from) / step
	if n < 1 {
		return Period{}, errors.New("the period is shorter than one query step")
	}
	return Period{Start: from.UTC(), End: from.Add(n * step).UTC(), StepSeconds: step.Seconds()}, nil
}
