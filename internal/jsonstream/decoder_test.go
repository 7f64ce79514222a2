package jsonstream

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// The Decoder must accept what encoding/json accepts and decode it to the same values; each fuzz
// target compares the two (their seeds run in every go test). The zvm package's tests compare
// whole decoded types.

// oneByte returns r's bytes one per Read, so that every token crosses a buffer boundary.
type oneByte struct{ r io.Reader }

func (o oneByte) Read(p []byte) (int, error) { return o.r.Read(p[:min(len(p), 1)]) }

// stdValues splits a JSON array into raw elements as encoding/json's streaming Decoder does (each
// element at most 10,000 levels deep).
func stdValues(b []byte) ([]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var out []json.RawMessage
	for dec.More() {
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data")
	}
	return out, nil
}

func FuzzSkip(f *testing.F) {
	for _, s := range []string{
		``, `1`, `1,2`, `{}`, `[]`, `{"a":[1,{"b":null}],"c":"d"}`, `"\u00e9\ud800\\"`, `-0.5e+3`, `01`, `1.`, `.5`,
		`tru`, `nul`, `falsey`, `{"a" 1}`, `{"a":1,}`, `[1,]`, `[,]`, `{,}`, `{1:2}`, `"a` + "\x01" + `"`, `"\q"`,
		`"\u12"`, `[[[]]]`, `{"a":{"b":{"c":{}}}}`, "\xff", `"` + "\xff" + `"`, ` `, `]`, `}`, `[}`, `{]`, `"a":1`,
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000), strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		in := append(append([]byte("["), b...), ']')
		want, errWant := stdValues(in)
		for _, r := range []io.Reader{bytes.NewReader(in), oneByte{bytes.NewReader(in)}} {
			d := NewDecoder(r)
			n := 0
			for range d.Elements() {
				d.Skip()
				n++
			}
			d.End()
			if (errWant == nil) != (d.Err() == nil) {
				t.Fatalf("%q: encoding/json: %v; Skip: %v", in, errWant, d.Err())
			}
			if errWant == nil && n != len(want) {
				t.Fatalf("%q: %d values, encoding/json %d", in, n, len(want))
			}
		}
	})
}

func FuzzString(f *testing.F) {
	for _, s := range []string{``, `a`, `\"`, `\\`, `\/`, `\b\f\n\r\t`, `\u00e9`, `\ud83d\ude00`, `\ud800`, `\ud800\u0041`,
		`\udc00`, "\xff", "\xed\xa0\x80", "é", `\x`, `\u12`, "\x00", `"`, strings.Repeat("é", 40000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lit := []byte(`"` + s + `"`)
		var want string
		errWant := json.Unmarshal(lit, &want)
		d := NewDecoder(oneByte{bytes.NewReader(lit)})
		var got string
		d.ReadString(&got)
		d.End()
		if (errWant == nil) != (d.Err() == nil) {
			t.Fatalf("%q: encoding/json: %v; ReadString: %v", lit, errWant, d.Err())
		}
		if errWant == nil && got != want {
			t.Fatalf("%q: %q, encoding/json %q", lit, got, want)
		}
	})
}

func FuzzNumber(f *testing.F) {
	for _, s := range []string{`0`, `-0`, `1`, `-1.5`, `1e3`, `1E+3`, `1e-400`, `1e400`, `9223372036854775807`,
		`9223372036854775808`, `-9223372036854775808`, `01`, `1.`, `.5`, `+1`, `-`, `1e`, `NaN`, `null`, `"1"`, `true`, `1 2`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var wantF float64
		errF := json.Unmarshal([]byte(s), &wantF)
		d := NewDecoder(oneByte{strings.NewReader(s)})
		var gotF float64
		d.ReadFloat(&gotF)
		d.End()
		if (errF == nil) != (d.Err() == nil) || (errF == nil && gotF != wantF) {
			t.Fatalf("float64 %q: %v, %v; encoding/json %v, %v", s, gotF, d.Err(), wantF, errF)
		}
		var wantI int
		errI := json.Unmarshal([]byte(s), &wantI)
		d = NewDecoder(oneByte{strings.NewReader(s)})
		var gotI int
		d.ReadInt(&gotI)
		d.End()
		if (errI == nil) != (d.Err() == nil) || (errI == nil && gotI != wantI) {
			t.Fatalf("int %q: %v, %v; encoding/json %v, %v", s, gotI, d.Err(), wantI, errI)
		}
	})
}

func TestFold(t *testing.T) {
	type T struct {
		VmName     string
		Checkpoint string
		Link       string `json:"href"`
		Skipped    string `json:"-"`
		Dash       string `json:"-,"` //nolint:staticcheck // the JSON name "-" is a case under test
		hidden     string //nolint:unused // unexported: not a JSON field, a case under test
	}
	f := FieldsOf(reflect.TypeFor[T]())
	for key, want := range map[string]string{
		"vmname": "VmName", "VMNAME": "VmName", "VmName": "VmName", "VmNam": "", "VmNamee": "",
		"chec\u212apoint": "Checkpoint", // Kelvin sign folds to k
		"HREF":            "href", "Link": "", "Skipped": "", "-": "-", "Dash": "", "hidden": "", "VmNaMe\u017f": "",
		"vmname\u0000": "",
	} {
		if got := string(f.Fold([]byte(key))); got != want {
			t.Errorf("Fold(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestFieldsOfRefuses(t *testing.T) {
	type Inner struct{ A string }
	for name, typ := range map[string]reflect.Type{
		"embedded": reflect.TypeFor[struct{ Inner }](),
		"non-ASCII": reflect.TypeFor[struct {
			A string `json:"\u212a"`
		}](),
		"folding twice": reflect.TypeFor[struct {
			A string `json:"name"`
			B string `json:"NAME"`
		}](),
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: FieldsOf did not panic", name)
				}
			}()
			FieldsOf(typ)
		}()
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{``, "EOF"},
		{`  `, "EOF"},
		{`[1`, "unexpected EOF"},
		{`{"a":tru}`, "invalid character '}' in literal true (expecting 'e') at offset 8"},
		{`{"a" 1}`, "invalid character '1' after object key at offset 5"},
		{`[1 2]`, "invalid character '2' after array element at offset 3"},
		{`{"a":"b"} x`, "invalid character 'x' after top-level value at offset 10"},
	} {
		d := NewDecoder(strings.NewReader(tc.in))
		d.Skip()
		d.End()
		if err := d.Err(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.in, err, tc.want)
		}
	}
	d := NewDecoder(strings.NewReader(`{"VmName":5}`))
	for range d.Members() {
		var s string
		d.ReadString(&s)
	}
	var te *TypeError
	if !errors.As(d.Err(), &te) || te.Key != "VmName" || te.Error() != `field "VmName": want a string, got a number at offset 10` {
		t.Errorf("type error: %v", d.Err())
	}

	// A value of the wrong type is reported only if the rest is well-formed and complete.
	for in, want := range map[string]string{
		`{"VmName":1`:        "unexpected EOF",
		`{"VmName":tx}`:      "invalid character 'x' in literal true",
		`{"VmName":[1,}`:     "invalid character '}' looking for beginning of value",
		`{"VmName":1,"A":"}`: "unexpected EOF",
		`{"VmName":1e400}`:   `field "VmName": want a string, got a number at offset 10`,
	} {
		d := NewDecoder(strings.NewReader(in))
		for range d.Members() {
			var s string
			d.ReadString(&s)
		}
		if err := d.Err(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", in, err, want)
		}
	}
	d = NewDecoder(strings.NewReader(`{"A":1e400}`))
	for range d.Members() {
		var f float64
		d.ReadFloat(&f)
	}
	if err := d.Err(); err == nil || err.Error() != `field "A": want a float64, got number 1e400 at offset 5` {
		t.Errorf("overflow: %v", err)
	}
	// The key of a type error is the element's own, not the last one of the previous element.
	d = NewDecoder(strings.NewReader(`[{"VmName":"a"},5]`))
	for range d.Elements() {
		for range d.Members() {
			d.Skip()
		}
	}
	if err := d.Err(); err == nil || err.Error() != "want an object, got a number at offset 16" {
		t.Errorf("element type error: %v", err)
	}
}

// errAfter returns its data with an error, as a connection reset with the last bytes does.
type errAfter struct{ data string }

func (e *errAfter) Read(p []byte) (int, error) {
	n := copy(p, e.data)
	e.data = e.data[n:]
	return n, errors.New("connection reset")
}

func TestReaderErrors(t *testing.T) {
	// The data that came with an error is decoded before the error is reported.
	d := NewDecoder(&errAfter{`{"A":"b"} `})
	var got string
	for range d.Members() {
		d.ReadString(&got)
	}
	if d.Err() != nil || got != "b" {
		t.Fatalf("%q, %v", got, d.Err())
	}
	if d.End(); d.Err() == nil || d.Err().Error() != "connection reset" {
		t.Fatalf("after the data: %v", d.Err())
	}
	// A reader that never returns anything is given up.
	d = NewDecoder(emptyReader{})
	d.Skip()
	if !errors.Is(d.Err(), io.ErrNoProgress) {
		t.Fatalf("empty reads: %v", d.Err())
	}
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }
