package zvm

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/jsonstream"
)

var nullType = reflect.TypeFor[Null[float64]]().Name()[:len("Null")]

// isNull reports whether t is one of the Null[T] types.
func isNull(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.PkgPath() == reflect.TypeFor[VM]().PkgPath() && strings.HasPrefix(t.Name(), nullType+"[")
}

// nullPaths lists the JSON paths (dot-separated field names) of every Null field reachable from t.
func nullPaths(t reflect.Type, prefix string) []string {
	var paths []string
	for f := range t.Fields() {
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case isNull(ft):
			paths = append(paths, prefix+f.Name)
		case ft.Kind() == reflect.Struct && ft != reflect.TypeFor[Time]() && ft != reflect.TypeFor[FlexFloat]():
			paths = append(paths, nullPaths(ft, prefix+f.Name+".")...)
		}
	}
	return paths
}

// setNull sets the value at path in the generic JSON object m to null.
func setNull(t *testing.T, m map[string]any, path string) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			t.Fatalf("%s: %s is not an object in %v", path, p, m)
		}
		m = next
	}
	if _, ok := m[parts[len(parts)-1]]; !ok {
		t.Fatalf("%s: missing in %v", path, m)
	}
	m[parts[len(parts)-1]] = nil
}

// fieldAt returns the Null field at path in v, or false when a pointer on the way is nil.
func fieldAt(v reflect.Value, path string) (reflect.Value, bool) {
	for p := range strings.SplitSeq(path, ".") {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return v, false
			}
			v = v.Elem()
		}
		v = v.FieldByName(p)
	}
	return v, true
}

// checkNullFields decodes, for every Null field of T, a one-element list where every field is set
// and that one is null (decode is one decoder path), and checks that exactly that field is
// invalid: a null number or code never becomes 0.
func checkNullFields[T any](t *testing.T, decode func([]byte) ([]T, error)) {
	var full T
	fill(reflect.ValueOf(&full).Elem(), reflect.TypeFor[T]().Name())
	b, err := json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	paths := nullPaths(reflect.TypeFor[T](), "")
	if len(paths) == 0 {
		t.Fatalf("%s has no Null fields", reflect.TypeFor[T]())
	}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			setNull(t, m, path)
			body, err := json.Marshal([]any{m})
			if err != nil {
				t.Fatal(err)
			}
			got, err := decode(body)
			if err != nil || len(got) != 1 {
				t.Fatalf("%s: %v, %d items", body, err, len(got))
			}
			for _, other := range paths {
				f, ok := fieldAt(reflect.ValueOf(&got[0]).Elem(), other)
				if !ok {
					t.Fatalf("%s: the object holding %s decoded as nil", body, other)
				}
				if valid := f.FieldByName("Valid").Bool(); valid != (other != path) {
					t.Errorf("%s: %s.Valid = %v", path, other, valid)
				}
			}
		})
	}
}

func jsonDecoder[T any](b []byte) ([]T, error) {
	var items []T
	return items, decodeBody(bytes.NewReader(b), fuzzLimit, jsonList[T]{&items})
}

func handDecoder[T any, P interface {
	*T
	member
}](fields *jsonstream.Fields) func([]byte) ([]T, error) {
	return func(b []byte) ([]T, error) {
		var items []T
		return items, decodeBody(bytes.NewReader(b), fuzzLimit, handwrittenList[T, P]{&items, fields})
	}
}

// TestNullIsNotZero covers every Null field of every model, through encoding/json and, for the
// lists with a hand-written decoder, through that decoder too.
func TestNullIsNotZero(t *testing.T) {
	t.Run("encoding/json", func(t *testing.T) {
		t.Run("LocalSite", func(t *testing.T) { checkNullFields(t, jsonDecoder[LocalSite]) })
		t.Run("PeerSite", func(t *testing.T) { checkNullFields(t, jsonDecoder[PeerSite]) })
		t.Run("VPG", func(t *testing.T) { checkNullFields(t, jsonDecoder[VPG]) })
		t.Run("VM", func(t *testing.T) { checkNullFields(t, jsonDecoder[VM]) })
		t.Run("VRA", func(t *testing.T) { checkNullFields(t, jsonDecoder[VRA]) })
		t.Run("License", func(t *testing.T) { checkNullFields(t, jsonDecoder[License]) })
		t.Run("Task", func(t *testing.T) { checkNullFields(t, jsonDecoder[Task]) })
		t.Run("VMStatistics", func(t *testing.T) { checkNullFields(t, jsonDecoder[VMStatistics]) })
	})
	t.Run("hand-written", func(t *testing.T) {
		t.Run("VPG", func(t *testing.T) { checkNullFields(t, handDecoder[VPG](vpgFields)) })
		t.Run("VM", func(t *testing.T) { checkNullFields(t, handDecoder[VM](vmFields)) })
		t.Run("VMStatistics", func(t *testing.T) { checkNullFields(t, handDecoder[VMStatistics](vmStatisticsFields)) })
	})
}

// TestNullLastDuplicateWins: a later null unsets an earlier number and a later number sets it
// again, in both decoders.
func TestNullLastDuplicateWins(t *testing.T) {
	for body, want := range map[string]Null[float64]{
		`[{"ActualRPO":5,"ActualRPO":null}]`: {},
		`[{"ActualRPO":null,"ActualRPO":5}]`: Some(5.0),
		`[{"actualrpo":null}]`:               {},
		`[{"ActualRPO":0}]`:                  Some(0.0),
		`[{}]`:                               {},
	} {
		for name, decode := range map[string]func([]byte) ([]VPG, error){"encoding/json": jsonDecoder[VPG], "hand-written": handDecoder[VPG](vpgFields)} {
			got, err := decode([]byte(body))
			if err != nil || len(got) != 1 || got[0].ActualRPO != want {
				t.Errorf("%s %s: %+v, %v; want ActualRPO %+v", name, body, got, err, want)
			}
		}
	}
}
