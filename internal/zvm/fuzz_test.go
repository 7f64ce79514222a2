package zvm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/zerto-exporter/zerto_exporter/internal/jsonstream"
	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// Fuzz targets. Their seeds (the sample corpus where there is one, plus small hand-written bodies) run in every
// `go test`; `go test -fuzz=FuzzDecodeVPGs ./internal/zvm` explores further.

const fuzzLimit = 1 << 20

// addSamples adds files of the sample corpus as seeds; where there is none, the target runs on
// its own seeds (see testutil.OptionalZVMSamples).
func addSamples(f *testing.F, names ...string) {
	if _, ok := testutil.OptionalZVMSamples(f); !ok {
		return
	}
	for _, name := range names {
		f.Add(readSample(f, name))
	}
}

func addSeeds(f *testing.F, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
}

// commonSeeds are bodies every decoder must survive.
var commonSeeds = []string{
	``, `null`, `[]`, `{}`, `[null]`, `[{}]`, `"x"`, `1`, `[1]`, `[[]]`, `[{}] x`, `[{}`, `{"a":`,
	`[{"Link":null}]`, strings.Repeat("[", 200), `[{"X":"\ud800"}]`, "\xef\xbb\xbf[]",
}

// wrapArray turns single-object samples into one-element lists.
func wrapArray(f *testing.F, names ...string) {
	if _, ok := testutil.OptionalZVMSamples(f); !ok {
		return
	}
	for _, name := range names {
		f.Add([]byte(jsonArray(readSample(f, name))))
	}
}

// checkDecode decodes b as the client does and checks the invariants: no panic (a panic fails the
// fuzzer), and nothing but one valid JSON value is accepted.
func checkDecode(t *testing.T, b []byte, out any) {
	err := decodeBody(bytes.NewReader(b), fuzzLimit, out)
	if err == nil && !json.Valid(b) {
		t.Fatalf("accepted invalid JSON %q", b)
	}
	if err == nil && len(b) > fuzzLimit {
		t.Fatalf("accepted %d bytes over the %d cap", len(b), fuzzLimit)
	}
}

func fuzzList[T any](f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		var items []T
		checkDecode(t, b, jsonList[T]{&items})
	})
}

// fuzzStream holds T's hand-written decoder to encoding/json's result on every input, read whole
// and one byte at a time, besides checkDecode's invariants.
func fuzzStream[T any, P interface {
	*T
	member
}](f *testing.F, fields *jsonstream.Fields) {
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := compareDecoders[T, P](t, b, fields); err == nil && !json.Valid(b) {
			t.Fatalf("accepted invalid JSON %q", b)
		}
		var whole, bytewise []T
		errWhole := decodeBody(bytes.NewReader(b), fuzzLimit, handwrittenList[T, P]{&whole, fields})
		errBytewise := decodeBody(oneByteReader{bytes.NewReader(b)}, fuzzLimit, handwrittenList[T, P]{&bytewise, fields})
		if fmt.Sprint(errWhole) != fmt.Sprint(errBytewise) || !reflect.DeepEqual(whole, bytewise) {
			t.Fatalf("%q: read whole %v, one byte at a time %v", b, errWhole, errBytewise)
		}
	})
}

func fuzzObject[T any](f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		var v *T
		checkDecode(t, b, &v)
	})
}

func FuzzDecodeLocalSite(f *testing.F) {
	addSamples(f, "zertoapiwrapper-mocks/LocalSiteInfo.json", "official-docs-examples/zvm6.0-docs-v1-localsite-example.txt")
	addSeeds(f, commonSeeds...)
	addSeeds(f, `{"SiteIdentifier":"a","UtcOffsetInMinutes":"x"}`, `{"BandwidthThrottlingInMBs":1e400}`, `{"Link":{"identifier":1}}`)
	fuzzObject[LocalSite](f)
}

func FuzzDecodePeerSites(f *testing.F) {
	addSamples(f, "official-docs-examples/zvm6.0-docs-v1-peersites-example-partial.txt")
	addSeeds(f, commonSeeds...)
	addSeeds(f, `[{"PeerSiteName":"b","PairingStatus":2,"ProvisionedStorage":9223372036854775807,"UsedStorage":1.5}]`,
		`[{"PairingStatus":null,"ProvisionedStorage":null}]`)
	fuzzList[PeerSite](f)
}

func FuzzDecodeVPGs(f *testing.F) {
	wrapArray(f, "zertoapiwrapper-mocks/GetVpg.json", "zertoapiwrapper-mocks/VPGInfo.json")
	addSamples(f, "blog-examples/csdn-zvm-session-add-and-vpg-fragment.txt")
	addSeeds(f, commonSeeds...)
	addSeeds(f, `[{"LastTest":"/Date(1520423876840+0300)/","HistoryStatusApi":{"EarliestCheckpoint":{"TimeStamp":null}}}]`,
		`[{"ActualRPO":"7"}]`, `[{"ActiveProcessesApi":{"RunningFailOverTestApi":{"Stage":1}}}]`, `[{"LastTest":5}]`,
		`[{"ActualRPO":null,"Status":null,"SubStatus":null,"Priority":null,"HistoryStatusApi":{"ActualHistoryInMinutes":null,"ConfiguredHistoryInMinutes":60}}]`,
		`[{"ActualRPO":5,"actualrpo":null},{"Status":null,"Status":1}]`, `[{"VmsCount":nul}]`)
	fuzzStream[VPG](f, vpgFields)
}

func FuzzDecodeVMs(f *testing.F) {
	addSamples(f, "zertoapiwrapper-mocks/ProtectedVms.json", "official-docs-examples/zvm7.0-docs-v1-vms-example.json",
		"zertoapiwrapper-mocks/Private-ProtectedVMs.json")
	addSeeds(f, commonSeeds...)
	addSeeds(f, `[{"JournalHardLimit":{"LimitType":2,"LimitValue":"x"}}]`, `[{"JournalHardLimit":null,"LastTest":"2019-07-11T16:51:07.022Z"}]`,
		`[{"ActualRPO":null,"JournalUsedStorageMb":null,"JournalHardLimit":{"LimitType":null,"LimitValue":null},"IOPs":null}]`)
	fuzzStream[VM](f, vmFields)
}

func FuzzDecodeVRAs(f *testing.F) {
	wrapArray(f, "zertoapiwrapper-mocks/GetSingleVra.json", "zertoapiwrapper-mocks/GetDhcpVra.json")
	addSeeds(f, commonSeeds...)
	addSeeds(f, `[{"VraIdentifier":5377857665828093654,"VraIdentifierStr":"5377857665828093654","VraNetworkDataApi":null}]`)
	fuzzList[VRA](f)
}

func FuzzDecodeAlerts(f *testing.F) {
	addSeeds(f, commonSeeds...)
	addSeeds(f, `[{"Level":"Warning","Entity":"Vpg","HelpIdentifier":"VPG0011","TurnedOn":"\/Date(1531938627284)\/","IsDismissed":false,"AffectedVpgs":[{"identifier":"v"}]}]`,
		`[{"Level":1,"TurnedOn":"2024-05-01T10:00:00.1234567"}]`, `[{"AffectedVpgs":null,"IsDismissed":"false"}]`)
	fuzzList[Alert](f)
}

func FuzzDecodeDatastores(f *testing.F) {
	addSamples(f, "official-docs-examples/zvm7.0-docs-v1-datastores-example-partial.txt")
	addSeeds(f, commonSeeds...)
	addSeeds(f, `[{"DatastoreName":"ds","Health":null,"Stats":{"NumVRAs":1,"Usage":{"Datastore":{"CapacityInBytes":null,"FreeInBytes":1e12},"Zerto":null}}}]`)
	fuzzList[Datastore](f)
}

func FuzzDecodeLicense(f *testing.F) {
	addSeeds(f, commonSeeds...)
	addSeeds(f, `{"Details":{"LicenseKey":"secret","LicenseType":"Enterprise","ExpiryTime":"2026-01-01T00:00:00.000Z","MaxVms":100},"Usage":{"TotalVmsCount":12,"SitesUsage":[]}}`,
		`{"Details":null,"Usage":null}`, `{"Details":{"ExpiryTime":"/Date(x)/"}}`)
	fuzzObject[License](f)
}

func FuzzDecodeTasks(f *testing.F) {
	addSamples(f, "official-docs-examples/zvm7.0-docs-v1-tasks-example.txt", "official-docs-examples/zvm7.0-docs-v1-events-example-template.txt")
	if _, ok := testutil.OptionalZVMSamples(f); ok {
		f.Add([]byte(jsonArray(fixedTasksSample(f))))
	}
	addSeeds(f, commonSeeds...)
	addSeeds(f, `[{"Type":"FailOverTest","Status":{"Progress":50,"State":1},"Started":"/Date(1520423876840)/","Completed":null}]`)
	fuzzList[Task](f)
}

func FuzzDecodeRecoveryReports(f *testing.F) {
	addSeeds(f, commonSeeds...)
	addSeeds(f, `[{"RecoveryOperationIdentifier":"r","General":{"VpgName":"v","RecoveryType":"FailoverTest","StartTime":"2024-01-01T00:00:00Z","EndTime":"2024-01-01T00:05:00Z","RTOInSeconds":"300","Status":"Success"}}]`,
		`[{"General":{"RTOInSeconds":300.5}}]`, `[{"General":{"RTOInSeconds":"NaN"}}]`, `[{"General":null}]`)
	fuzzList[RecoveryReport](f)
}

func FuzzDecodeVMStatistics(f *testing.F) {
	addSeeds(f, commonSeeds...)
	addSeeds(f, `[{"VmIdentifier":"vc.vm-1","VpgIdentifier":"v","IoOperationsCounter":9007199254740993,"WriteCounterInMBs":1,"SyncCounterInMBs":2,"NetworkTrafficCounterInMBs":3,"SampleTime":"2024-01-01T00:00:00Z"}]`,
		`[{"IoOperationsCounter":null,"WriteCounterInMBs":null,"SyncCounterInMBs":1,"NetworkTrafficCounterInMBs":null}]`)
	fuzzStream[VMStatistics](f, vmStatisticsFields)
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{
		"2019-07-11T16:51:07.022Z", "2019-07-20T19:30:19Z", "2019-07-20T19:30:19", "2019-07-20T21:30:19+02:00",
		"2019-07-20", "2019-07-20T19:30", "/Date(1520423876840)/", "/Date(928142400000+0300)/", "/Date(-1)/",
		"/Date()/", "/Date(+)/", "/Date(9223372036854775807)/", "", "garbage", "String content",
	} {
		f.Add(s, int64(1520423876840))
	}
	f.Add("", int64(math.MinInt64))
	f.Fuzz(func(t *testing.T, s string, ms int64) {
		got, err := ParseTime(s)
		if err == nil {
			if got.Location() != time.UTC {
				t.Fatalf("ParseTime(%q) not in UTC: %v", s, got.Location())
			}
			// ISO round trip, where the year can be written in four digits.
			if y := got.Year(); y >= 0 && y <= 9999 {
				back, err := ParseTime(got.Format(time.RFC3339Nano))
				if err != nil || !back.Equal(got) {
					t.Fatalf("ParseTime(%q) = %v; its RFC 3339 form parses to %v, %v", s, got, back, err)
				}
			}
			// /Date(ms)/ round trip for millisecond instants.
			if m := got.UnixMilli(); time.UnixMilli(m).Equal(got) {
				back, err := ParseTime(fmt.Sprintf("/Date(%d)/", m))
				if err != nil || !back.Equal(got) {
					t.Fatalf("ParseTime(%q) = %v; /Date(%d)/ parses to %v, %v", s, got, m, back, err)
				}
			}
		}
		// Every millisecond count parses, with or without an offset, to the same instant.
		for _, form := range []string{"/Date(%d)/", "/Date(%d+0300)/", "/Date(%d-1130)/"} {
			in := fmt.Sprintf(form, ms)
			got, err := ParseTime(in)
			if err != nil || !got.Equal(time.UnixMilli(ms)) {
				t.Fatalf("ParseTime(%q) = %v, %v; want %v", in, got, err, time.UnixMilli(ms))
			}
		}
		// Time.UnmarshalJSON never fails on a JSON string, and keeps what it could not parse.
		q, _ := json.Marshal(s)
		var tm Time
		if err := tm.UnmarshalJSON(q); err != nil {
			t.Fatalf("UnmarshalJSON(%s): %v", q, err)
		}
		if !tm.Valid() && strings.TrimSpace(s) != "" && tm.Raw == "" && utf8.ValidString(s) {
			t.Fatalf("UnmarshalJSON(%s) lost the raw value", q)
		}
	})
}

func FuzzFlexFloat(f *testing.F) {
	for _, s := range []string{`1`, `-1`, `"421"`, `" 7 "`, `null`, `""`, `"NaN"`, `"Inf"`, `1e400`, `"0x1p-2"`, `"1_000"`, `true`, `"`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v FlexFloat
		err := v.UnmarshalJSON(b)
		if err != nil {
			return
		}
		if v.Set && (math.IsNaN(v.Value) || math.IsInf(v.Value, 0)) {
			t.Fatalf("%q decoded to %v", b, v.Value)
		}
		if !v.Set && v.Value != 0 {
			t.Fatalf("%q: unset with value %v", b, v.Value)
		}
		if v.Set {
			// The value survives as a JSON number and as a numeric string.
			for _, enc := range []string{strconv.FormatFloat(v.Value, 'g', -1, 64), strconv.Quote(strconv.FormatFloat(v.Value, 'g', -1, 64))} {
				var w FlexFloat
				if err := w.UnmarshalJSON([]byte(enc)); err != nil || w != v {
					t.Fatalf("%q -> %v; re-encoded %s -> %+v, %v", b, v.Value, enc, w, err)
				}
			}
		}
	})
}

func FuzzErrorMessage(f *testing.F) {
	for _, s := range []string{`{"Message":"An error has occurred."}`, `{"error":"invalid_grant","error_description":"Invalid user credentials"}`,
		`<html>x</html>`, "line1\nline2\x00\x1b[31m", strings.Repeat("é", 300), `{"error":{"code":1}}`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		msg, _ := errorMessage(bytes.NewReader(b))
		if strings.ContainsAny(msg, "\n\r\t\x00") {
			t.Fatalf("message %q is not one clean line", msg)
		}
		if n := utf8.RuneCountInString(msg); n > maxErrorMessage+1 {
			t.Fatalf("message of %d runes", n)
		}
	})
}
