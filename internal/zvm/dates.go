package zvm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Time is a ZVM timestamp. The ZVM sends ISO 8601 (appliance, and some Windows fields) or Microsoft
// JSON dates "/Date(ms)/" with an optional ±hhmm suffix (Windows). A null, empty or unparseable
// value decodes without error to the zero Time, so one odd date never fails a whole response; Raw
// keeps an unparseable value for debug logging.
type Time struct {
	time.Time
	Raw string
}

// Valid reports whether the ZVM sent a parseable time.
func (t Time) Valid() bool { return !t.IsZero() }

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	*t = Time{}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date: want a string, got %.40s", b)
	}
	t.set(s)
	return nil
}

// set parses s, keeping it in Raw if it is not a date.
func (t *Time) set(s string) {
	*t = Time{}
	parsed, err := ParseTime(s)
	if err != nil {
		t.Raw = s
		return
	}
	t.Time = parsed
}

// isoLayouts are the ISO 8601 forms seen from ZVMs, with or without zone and fraction.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02",
}

// ParseTime parses a ZVM date string. "/Date(ms)/" is milliseconds since the epoch in UTC; its
// optional ±hhmm suffix records the sender's offset and does not move the instant (WCF convention).
// An ISO time without a zone is taken as UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("empty date")
	}
	if rest, ok := strings.CutPrefix(s, "/Date("); ok {
		body, ok := strings.CutSuffix(rest, ")/")
		if !ok {
			return time.Time{}, fmt.Errorf("date %q: missing )/", s)
		}
		if i := strings.LastIndexAny(body, "+-"); i > 0 {
			body = body[:i]
		}
		ms, err := strconv.ParseInt(body, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("date %q: %w", s, err)
		}
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q: not ISO 8601 or /Date(ms)/", s)
}

// FlexFloat decodes a number sent either as a JSON number or as a numeric string (RTOInSeconds is a
// string in the Swagger file). Null or empty leaves it unset.
type FlexFloat struct {
	Value float64
	Set   bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *FlexFloat) UnmarshalJSON(b []byte) error {
	*f = FlexFloat{}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		// ParseFloat takes "NaN" and "Inf", which must not become sample values.
		return fmt.Errorf("number: %.40q is not a finite number", s)
	}
	f.Value, f.Set = v, true
	return nil
}
