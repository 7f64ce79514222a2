package zvm

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ServiceProfile is one element of GET /v1/serviceprofiles: a named set of protection targets a
// VPG may be created with. Rpo, History and TestInterval are TimeSpans.
type ServiceProfile struct {
	Link                     *Link
	ServiceProfileIdentifier string
	ServiceProfileName       string
	Rpo                      TimeSpan
	History                  TimeSpan
	TestInterval             TimeSpan
}

// ID returns the profile's identifier: ServiceProfileIdentifier where sent, else the link's.
func (p *ServiceProfile) ID() string { return p.Link.idOr(p.ServiceProfileIdentifier) }

// TimeSpan is a .NET TimeSpan as the ZVM serialises it: "[-][d.]hh:mm:ss[.fffffff]" in JSON, or
// an ISO 8601 duration ("PT5M", the XML form). Null, empty or unparseable leaves it unset (Set
// false), with an unparseable value kept in Raw, so that one odd field never fails a response.
type TimeSpan struct {
	time.Duration
	Set bool
	Raw string
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *TimeSpan) UnmarshalJSON(b []byte) error {
	*t = TimeSpan{}
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		t.Raw = string(b)
		return nil
	}
	if s == "" {
		return nil
	}
	d, err := ParseTimeSpan(s)
	if err != nil {
		t.Raw = s
		return nil
	}
	t.Duration, t.Set = d, true
	return nil
}

var (
	netTimeSpan = regexp.MustCompile(`^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?$`)
	isoDuration = regexp.MustCompile(`^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)
)

// ParseTimeSpan parses a .NET TimeSpan ("1.02:03:04.5") or an ISO 8601 duration with days, hours,
// minutes and seconds ("P1DT2H3M4.5S").
func ParseTimeSpan(s string) (time.Duration, error) {
	num := func(v string) int64 {
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	var d time.Duration
	neg := false
	switch m := netTimeSpan.FindStringSubmatch(s); {
	case m != nil:
		if num(m[4]) > 59 || num(m[5]) > 59 || num(m[3]) > 23 {
			return 0, fmt.Errorf("time span %q: field out of range", s)
		}
		neg = m[1] != ""
		d = time.Duration(num(m[2]))*24*time.Hour + time.Duration(num(m[3]))*time.Hour +
			time.Duration(num(m[4]))*time.Minute + time.Duration(num(m[5]))*time.Second
		if m[6] != "" {
			frac := m[6] + strings.Repeat("0", 9-len(m[6]))
			d += time.Duration(num(frac))
		}
	default:
		m = isoDuration.FindStringSubmatch(s)
		if m == nil || s == "P" || strings.HasSuffix(s, "T") {
			return 0, fmt.Errorf("time span %q: want [d.]hh:mm:ss or an ISO 8601 duration", s)
		}
		neg = m[1] != ""
		d = time.Duration(num(m[2]))*24*time.Hour + time.Duration(num(m[3]))*time.Hour + time.Duration(num(m[4]))*time.Minute
		if m[5] != "" {
			sec, err := strconv.ParseFloat(m[5], 64)
			if err != nil {
				return 0, fmt.Errorf("time span %q: %w", s, err)
			}
			d += time.Duration(sec * float64(time.Second))
		}
	}
	if d < 0 || d > 100*365*24*time.Hour {
		return 0, errors.New("time span " + strconv.Quote(s) + " out of range")
	}
	if neg {
		d = -d
	}
	return d, nil
}
