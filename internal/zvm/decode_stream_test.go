package zvm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/jsonstream"
	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// The hand-written decoders must decode exactly what encoding/json decodes: these tests and the
// fuzz targets FuzzDecodeVPGs, FuzzDecodeVMs and FuzzDecodeVMStatistics compare the two on every
// input.

// compareDecoders decodes b with encoding/json (jsonList) and with T's hand-written decoder
// (handwrittenList) and fails unless both reject it or both accept it with equal results. It
// returns the hand-written decoder's error.
func compareDecoders[T any, P interface {
	*T
	member
}](t *testing.T, b []byte, fields *jsonstream.Fields) error {
	t.Helper()
	var want, got []T
	// The simulator's payloads may be larger than the fuzzer's inputs: the limit is not what is
	// compared here.
	limit := max(fuzzLimit, int64(len(b)))
	errWant := decodeBody(bytes.NewReader(b), limit, jsonList[T]{&want})
	errGot := decodeBody(bytes.NewReader(b), limit, handwrittenList[T, P]{&got, fields})
	switch {
	case (errWant == nil) != (errGot == nil) || errorKind(errWant) != errorKind(errGot):
		t.Fatalf("%.200q:\nencoding/json: %v\nhand-written:  %v", b, errWant, errGot)
	case errGot == nil && !reflect.DeepEqual(want, got):
		t.Fatalf("%.200q decodes differently:\nencoding/json: %s\nhand-written:  %s", b, dump(want), dump(got))
	}
	return errGot
}

// errorKind is the class of a decodeBody error that a log reader sees first.
func errorKind(err error) string {
	if err == nil {
		return ""
	}
	for _, kind := range []string{"empty response body", "truncated response", "response exceeds", "response of at most", "decoding response"} {
		if strings.Contains(err.Error(), kind) {
			return kind
		}
	}
	return err.Error()
}

func dump(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// fill sets every field reachable from v to a value derived from its path, allocating pointers.
func fill(v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.Type().Elem().Kind() == reflect.Struct && v.Type().Elem().NumField() == 0 {
			v.Set(reflect.New(v.Type().Elem()))
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), path)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[Time]() {
			v.Set(reflect.ValueOf(Time{Time: time.Date(2024, 5, 1, 10, 0, len(path)%60, 0, time.UTC)}))
			return
		}
		for i := range v.NumField() {
			fill(v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	case reflect.String:
		v.SetString("s" + path)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), path+"[0]")
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(len(path)))
	case reflect.Float64:
		v.SetFloat(float64(len(path)) + 0.5)
	default:
		panic("fill: " + v.Kind().String())
	}
}

// checkEveryField decodes a list of one T with every field set and compares it with that T.
func checkEveryField[T any, P interface {
	*T
	member
}](t *testing.T, fields *jsonstream.Fields) {
	want := []T{*new(T)}
	fill(reflect.ValueOf(&want[0]).Elem(), reflect.TypeFor[T]().Name())
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	compareDecoders[T, P](t, b, fields)
	var got []T
	if err := decodeBody(bytes.NewReader(b), fuzzLimit, handwrittenList[T, P]{&got, fields}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%s\ndecodes to %s", b, dump(got))
	}
}

func TestStreamDecodersEveryField(t *testing.T) {
	t.Run("VM", func(t *testing.T) { checkEveryField[VM](t, vmFields) })
	t.Run("VPG", func(t *testing.T) { checkEveryField[VPG](t, vpgFields) })
	t.Run("VMStatistics", func(t *testing.T) { checkEveryField[VMStatistics](t, vmStatisticsFields) })
}

func TestStreamDecodersMatchEncodingJSON(t *testing.T) {
	for _, profile := range []string{"demo", "small"} {
		ps, err := fetchSimPayloads(zvmsim.Options{Profile: profile, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		t.Run(profile, func(t *testing.T) {
			for ep, check := range map[Endpoint]func(*testing.T, []byte) error{
				EndpointVMs:          func(t *testing.T, b []byte) error { return compareDecoders[VM](t, b, vmFields) },
				EndpointVPGs:         func(t *testing.T, b []byte) error { return compareDecoders[VPG](t, b, vpgFields) },
				EndpointVMStatistics: func(t *testing.T, b []byte) error { return compareDecoders[VMStatistics](t, b, vmStatisticsFields) },
			} {
				if err := check(t, payloadOf(ps, ep)); err != nil {
					t.Errorf("%s: %v", ep, err)
				}
			}
		})
	}
	t.Run("samples", func(t *testing.T) {
		for _, name := range []string{"zertoapiwrapper-mocks/ProtectedVms.json", "official-docs-examples/zvm7.0-docs-v1-vms-example.json",
			"zertoapiwrapper-mocks/Private-ProtectedVMs.json"} {
			if err := compareDecoders[VM](t, readSample(t, name), vmFields); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		vpgs := jsonArray(readSample(t, "zertoapiwrapper-mocks/GetVpg.json"), readSample(t, "zertoapiwrapper-mocks/VPGInfo.json"))
		if err := compareDecoders[VPG](t, []byte(vpgs), vpgFields); err != nil {
			t.Error(err)
		}
	})
}

// streamCases are inputs where encoding/json has rules of its own; each is decoded both ways.
var streamCases = []string{
	// Keys: exact, then case-insensitive (Unicode simple folding: K is the Kelvin sign, ſ a long s),
	// the last duplicate wins, escapes in keys.
	`[{"vmname":"a","VMNAME":"b"}]`, `[{"VmName":"a","vmname":"b"}]`, `[{"vmname":"b","VmName":"a"}]`,
	`[{"VmName":"a","VmName":"b"}]`, `[{"Vm\u004eame":"a"}]`, `[{"VmNam\u00e9":"a"}]`,
	`[{"HistoryStatusApi":{"EarliestCheckpoint":{"Chec\u212apointIdentifier":"k"}}}]`,
	"[{\"HistoryStatusApi\":{\"EarliestCheckpoint\":{\"Chec\u212apointIdentifier\":\"k\"}}}]",
	"[{\"VmIdentifier\":\"a\",\"VmIdentifier\":\"b\",\"\u017fampleTime\":\"2024-01-01T00:00:00Z\"}]",
	`[{"protectedsite":{"HREF":"h","Identifier":"i","TYPE":"t"}}]`,
	// Null leaves scalars alone, resets pointers and dates; pointers are reused.
	`[{"VmName":"a","VmName":null}]`, `[{"ActualRPO":5,"ActualRPO":null}]`, `[{"Priority":3,"Priority":null}]`,
	`[{"JournalHardLimit":{"LimitType":1},"JournalHardLimit":{"LimitValue":2}}]`,
	`[{"JournalHardLimit":{"LimitType":1},"JournalHardLimit":null}]`,
	`[{"LastTest":"2024-01-01T00:00:00Z","LastTest":null}]`, `[{"LastTest":"not a date"}]`, `[{"LastTest":""}]`,
	`[{"LastTest":"/Date(1520423876840+0300)/"}]`, `[{"LastTest":5}]`, `[{"LastTest":{}}]`,
	`[{"ActiveProcessesApi":{"RunningFailOverTestApi":{"Stage":[1,{"x":null}]}}}]`,
	`[{"ActiveProcessesApi":{"RunningFailOverTestApi":null}}]`, `[{"ActiveProcessesApi":{"RunningFailOverTestApi":1}}]`,
	`[{"ActiveProcessesApi":null}]`, `[{"ActiveProcessesApi":{"runningfailovertestapi":{}}}]`,
	`[null,{},null]`, `null`, `[]`, ` [ ] `, "\t[\n{\r}\n]\n",
	// Strings: escapes, surrogates, invalid UTF-8, control characters.
	`[{"VmName":"a\"b\\c\/d\b\f\n\r\t"}]`, `[{"VmName":"\u00e9\u4e2d\ud83d\ude00"}]`, `[{"VmName":"\ud800"}]`,
	`[{"VmName":"\ud800\u0041"}]`, `[{"VmName":"\udc00\ud800"}]`, `[{"VmName":"\ud83d\ude00\ud83d"}]`,
	"[{\"VmName\":\"a\xffb\xc3\"}]", "[{\"VmName\":\"\xed\xa0\x80\"}]", "[{\"VmName\":\"é中😀\"}]",
	"[{\"VmName\":\"a\x01\"}]", `[{"VmName":"\x"}]`, `[{"VmName":"\u12"}]`, `[{"VmName":"\u12G4"}]`, `[{"VmName":"a`,
	`[{"VmName":"a\`, `[{"VmName":5}]`, `[{"VmName":true}]`, `[{"VmName":{}}]`, `[{"VmName":[]}]`,
	// Numbers.
	`[{"ActualRPO":-0}]`, `[{"ActualRPO":1e3}]`, `[{"ActualRPO":1E+3}]`, `[{"ActualRPO":1.5e-3}]`, `[{"ActualRPO":1e400}]`,
	`[{"ActualRPO":01}]`, `[{"ActualRPO":1.}]`, `[{"ActualRPO":.5}]`, `[{"ActualRPO":+1}]`, `[{"ActualRPO":-}]`,
	`[{"ActualRPO":1e}]`, `[{"ActualRPO":1e+}]`, `[{"ActualRPO":"7"}]`, `[{"ActualRPO":NaN}]`, `[{"ActualRPO":1,}]`,
	`[{"Priority":1.0}]`, `[{"Priority":1e2}]`, `[{"Priority":-0}]`, `[{"Priority":9223372036854775807}]`,
	`[{"Priority":9223372036854775808}]`, `[{"Priority":-9223372036854775808}]`, `[{"Priority":"1"}]`,
	`[{"ActualRPO":123456789012345678901234567890}]`, `[{"ActualRPO":0.000000000000000000000000000001}]`,
	// Unknown keys are checked, not just skipped.
	`[{"X":[1,2,{"a":[true,false,null,"s",-1.5e3]}],"VmName":"a"}]`, `[{"X":[1,2,}]`, `[{"X":{"a" 1}}]`,
	`[{"X":{"a":1,}}]`, `[{"X":[,]}]`, `[{"X":tru}]`, `[{"X":nulll}]`, `[{"X":"\q"}]`, `[{"X":{1:2}}]`, `[{"X":{}}]`,
	`[{"X":[]}]`, `[{"X":[[]]}]`, `[{"X":{"a":{}}}]`, `[{"X":}]`, `[{"X"}]`, `[{"X":1 "Y":2}]`, `[{,}]`,
	// A value of the wrong type, then a syntax error or the end of input: the latter is reported.
	`[{"VmName":1`, `[{"VmName":tx}]`, `[{"ActualRPO":"x","VmName":"a`, `[{"LastTest":5,`, `[{"JournalHardLimit":1,"X":}]`,
	`[{"ActualRPO":1e400},{"VmName":"a"}] x`, `[5,{"VmName":`, `[{"Priority":1.5}`,
	// Lists and trailing data.
	`[{}{}]`, `[{},]`, `[,{}]`, `[{}] x`, `[{}] []`, `[{}`, `{"VmName":"a"}`, `"x"`, `1`, `true`, `x`, ``, ` `,
	"\xef\xbb\xbf[]", `[1]`, `["x"]`, `[[]]`, `[true]`,
	strings.Repeat("[", 200), `[{"X":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}]`,
	`[{"X":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}]`,
	`[{"X":` + strings.Repeat(`{"a":`, 10000) + `1` + strings.Repeat("}", 10000) + `}]`,
}

func TestStreamDecodersEdgeCases(t *testing.T) {
	for i, c := range streamCases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			b := []byte(c)
			compareDecoders[VM](t, b, vmFields)
			compareDecoders[VPG](t, b, vpgFields)
			compareDecoders[VMStatistics](t, b, vmStatisticsFields)
		})
	}
}

// TestStreamDecoderBufferBoundaries feeds a body one byte per Read, so that every token crosses
// the end of the buffer somewhere.
func TestStreamDecoderBufferBoundaries(t *testing.T) {
	t.Run("samples", func(t *testing.T) {
		b := []byte(jsonArray(readSample(t, "zertoapiwrapper-mocks/GetVpg.json"), readSample(t, "zertoapiwrapper-mocks/VPGInfo.json")))
		var want, got []VPG
		if err := decodeBody(bytes.NewReader(b), fuzzLimit, jsonList[VPG]{&want}); err != nil {
			t.Fatal(err)
		}
		if err := decodeBody(oneByteReader{bytes.NewReader(b)}, fuzzLimit, handwrittenList[VPG, *VPG]{&got, vpgFields}); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("one byte at a time:\n%s\nwant\n%s", dump(got), dump(want))
		}
	})
	// A string longer than the 64 KiB buffer.
	long := strings.Repeat("é", 50000)
	var got []VPG
	if err := decodeBody(oneByteReader{strings.NewReader(`[{"VpgName":"` + long + `"}]`)}, fuzzLimit, handwrittenList[VPG, *VPG]{&got, vpgFields}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].VpgName != long {
		t.Fatalf("long name: %d VPGs", len(got))
	}
}

type oneByteReader struct {
	r interface{ Read([]byte) (int, error) }
}

func (o oneByteReader) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	return o.r.Read(p)
}
