package zvm

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2019-07-11T16:51:07.022Z", utc(2019, 7, 11, 16, 51, 7, 22e6)},
		{"2019-07-20T19:30:19Z", utc(2019, 7, 20, 19, 30, 19, 0)},
		{"2019-07-20T21:30:19+02:00", utc(2019, 7, 20, 19, 30, 19, 0)},
		{"2019-07-20T21:30:19.5+02:00", utc(2019, 7, 20, 19, 30, 19, 5e8)},
		{"2019-07-20T19:30:19", utc(2019, 7, 20, 19, 30, 19, 0)}, // no zone: UTC
		{"2019-07-20T19:30:19.1234567", utc(2019, 7, 20, 19, 30, 19, 123456700)},
		{"2019-07-20T19:30", utc(2019, 7, 20, 19, 30, 0, 0)},
		{"2019-07-20", utc(2019, 7, 20, 0, 0, 0, 0)},
		{" 2019-07-20T19:30:19Z ", utc(2019, 7, 20, 19, 30, 19, 0)},
		{"/Date(1520423876840)/", time.UnixMilli(1520423876840).UTC()},
		{"/Date(928142400000+0300)/", time.UnixMilli(928142400000).UTC()}, // offset does not move the instant
		{"/Date(928142400000-0500)/", time.UnixMilli(928142400000).UTC()},
		{"/Date(-1000)/", time.UnixMilli(-1000).UTC()},
		{"/Date(0)/", time.Unix(0, 0).UTC()},
	} {
		got, err := ParseTime(tc.in)
		if err != nil || !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "  ", "garbage", "/Date(abc)/", "/Date(123", "2019-13-45", "String content", "Date(1)"} {
		if got, err := ParseTime(in); err == nil {
			t.Errorf("ParseTime(%q) = %v, want an error", in, got)
		}
	}
}

func TestTimeUnmarshalJSON(t *testing.T) {
	var v struct {
		A, B, C, D, E, F Time
	}
	raw := `{"A":"\/Date(928142400000+0300)\/","B":"/Date(928142400000)/","C":null,"D":"not a date","E":"2019-07-11T16:51:07.022Z","F":""}`
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatal(err)
	}
	if !v.A.Equal(time.UnixMilli(928142400000)) || !v.A.Equal(v.B.Time) || !v.A.Valid() {
		t.Errorf("A = %v, B = %v", v.A, v.B)
	}
	if v.C.Valid() || v.C.Raw != "" {
		t.Errorf("null: %+v", v.C)
	}
	if v.D.Valid() || v.D.Raw != "not a date" {
		t.Errorf("garbage: %+v, want zero with Raw kept", v.D)
	}
	if !v.E.Equal(time.Date(2019, 7, 11, 16, 51, 7, 22e6, time.UTC)) {
		t.Errorf("ISO: %v", v.E)
	}
	if v.F.Valid() {
		t.Errorf("empty: %v", v.F)
	}
	// A non-string date is a type error, which fails the response.
	if err := json.Unmarshal([]byte(`{"A":12}`), &v); err == nil {
		t.Error("numeric date accepted")
	}
}

func TestFlexFloat(t *testing.T) {
	for in, want := range map[string]FlexFloat{
		`12.5`: {12.5, true}, `"12.5"`: {12.5, true}, `" 7 "`: {7, true}, `null`: {}, `""`: {}, `-1`: {-1, true}, `"1e3"`: {1000, true},
	} {
		var f FlexFloat
		if err := json.Unmarshal([]byte(in), &f); err != nil || f != want {
			t.Errorf("%s: %+v, %v; want %+v", in, f, err, want)
		}
	}
	for _, in := range []string{`"abc"`, `"NaN"`, `"Inf"`, `"-infinity"`, `"1e400"`, `true`, `{}`, `[]`} {
		var f FlexFloat
		if err := json.Unmarshal([]byte(in), &f); err == nil {
			t.Errorf("%s accepted as %+v", in, f)
		}
	}
	// In a struct, a bad RTO fails the decode with the field named.
	var g RecoveryGeneral
	if err := json.Unmarshal([]byte(`{"RTOInSeconds":"421"}`), &g); err != nil || g.RTOInSeconds.Value != 421 {
		t.Errorf("RTOInSeconds: %+v, %v", g.RTOInSeconds, err)
	}
}
