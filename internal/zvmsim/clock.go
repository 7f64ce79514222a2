package zvmsim

import (
	"fmt"
	"net/url"
	"time"
)

// The ZVM's clock: /v1/serverDateTime.

// serverTimeUTC serves /v1/serverDateTime/serverDateTimeUtc: the site's clock, off by a
// clock_skew fault, as a JSON string.
func (v *view) serverTimeUTC() error {
	return v.out.value(isoTime(v.now.Add(v.m.fx.clockSkew[v.role])))
}

// serverTimeLocal serves /v1/serverDateTime/serverDateTimeLocal: the same clock in the site's
// time zone: with its offset on the appliance (the spec's date-time), without one on Windows.
func (v *view) serverTimeLocal() error {
	s := &v.m.sites[v.role]
	t := v.now.Add(v.m.fx.clockSkew[v.role]).UTC().Add(time.Duration(s.utcOffset) * time.Minute)
	if v.windows {
		return v.out.value(t.Format("2006-01-02T15:04:05.000"))
	}
	return v.out.value(t.Format("2006-01-02T15:04:05.000") + offsetSuffix(s.utcOffset))
}

// offsetSuffix is a UTC offset in minutes as ISO 8601 writes it: -05:00.
func offsetSuffix(minutes int) string {
	sign := "+"
	if minutes < 0 {
		sign, minutes = "-", -minutes
	}
	return fmt.Sprintf("%s%02d:%02d", sign, minutes/60, minutes%60)
}

// dateTimeArgument serves /v1/serverDateTime/dateTimeArgument: the dateTime parameter as the ZVM
// reads it, in the filter formats, in UTC.
func (v *view) dateTimeArgument(q url.Values) error {
	s := queryValue(q, "dateTime")
	if s == "" {
		return badRequestf("dateTime is required")
	}
	t, err := parseFilterDate(s, time.FixedZone("ZVM local time", v.m.sites[v.role].utcOffset*60))
	if err != nil {
		return badRequestf("dateTime: %v", err)
	}
	return v.out.value(isoTime(t))
}
