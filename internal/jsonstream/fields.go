package jsonstream

import (
	"bytes"
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
// field name); fields tagged "-" are left out. Embedded structs are not flattened: the decoders
// that use this have none.
func FieldsOf(t reflect.Type) *Fields {
	f := &Fields{byLen: map[int][][]byte{}}
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name := sf.Name
		if tag, _, _ := strings.Cut(sf.Tag.Get("json"), ","); tag == "-" {
			continue
		} else if tag != "" {
			name = tag
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
