package zvmsim

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Query parameters: names ignore case, dates take the ZVM's filter formats.

// queryValue reads a query parameter, ignoring the case of its name as the
// ZVM does.
func queryValue(q url.Values, name string) string {
	for k, v := range q {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// filterDateLayouts are the date filter formats (docs/zvm-api.md, Wire
// conventions), without the optional trailing Z.
var filterDateLayouts = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02T15",
	"2006-01-02",
	"2006-01",
	"2006",
}

// parseFilterDate parses a date filter. A trailing Z means UTC; without it
// the value is in the ZVM's local time.
func parseFilterDate(s string, local *time.Location) (time.Time, error) {
	loc := local
	if trimmed, ok := strings.CutSuffix(s, "Z"); ok {
		s, loc = trimmed, time.UTC
	}
	for _, layout := range filterDateLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date in a supported format (yyyy-MM-ddTHH:mm:ss.fffZ, yyyy-MM-ddTHH:mm:ssZ, yyyy-MM-ddTHH:mmZ, yyyy-MM-ddTHHZ, yyyy-MM-dd, yyyy-MM, yyyy)", s)
}
