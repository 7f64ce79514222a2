package jsonstream

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Fields holds a struct type's JSON field names, to match keys case-insensitively as
// encoding/json does after an exact match failed.
type Fields struct {
	names [][]byte
	byLen map[int][][]byte // for ASCII keys: folding keeps the length
}

// FieldsOf lists the JSON names of struct type t's exported fields (the json tag's name, else the
// field name); fields tagged "-" are left out. It panics on what it does not match as
// encoding/json would: embedded fields, names that are not plain ASCII, and two names that fold
// to the same.
func FieldsOf(t reflect.Type) *Fields {
	f := &Fields{byLen: map[int][][]byte{}}
	for sf := range t.Fields() {
		if sf.Anonymous {
			panic(fmt.Sprintf("jsonstream: %s.%s: embedded fields are not supported", t, sf.Name))
		}
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		if !ascii([]byte(name)) || strings.ContainsAny(name, "\\\"") {
			panic(fmt.Sprintf("jsonstream: %s.%s: JSON name %q is not supported", t, sf.Name, name))
		}
		if f.Fold([]byte(name)) != nil {
			panic(fmt.Sprintf("jsonstream: %s.%s: JSON name %q folds like another field's", t, sf.Name, name))
		}
		f.names = append(f.names, []byte(name))
		f.byLen[len(name)] = append(f.byLen[len(name)], []byte(name))
	}
	return f
}

// Fold returns the field name that key equals under bytes.EqualFold, or nil if none does.
func (f *Fields) Fold(key []byte) []byte {
	candidates := f.names
	if ascii(key) {
		candidates = f.byLen[len(key)]
	}
	for _, name := range candidates {
		if bytes.EqualFold(key, name) {
			return name
		}
	}
	return nil
}

func ascii(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
