package zvm

import (
	"bytes"
	"encoding/json"
)

// Null is a number or enum code the ZVM may send as JSON null (or leave out): ActualRPO while a
// VPG initialises, a status the ZVM has not computed, a counter it does not know. Valid is false
// then, so that the series it feeds is absent rather than a made-up 0 (a perfect RPO, or
// "Initializing" for a null Status). It costs no allocation, unlike a pointer, in the lists that
// hold one row per VM.
type Null[T ~float64 | ~int | ~int64] struct {
	V     T
	Valid bool
}

// Value returns the number and whether the ZVM sent one.
func (n Null[T]) Value() (T, bool) { return n.V, n.Valid }

// Some returns a valid Null holding v.
func Some[T ~float64 | ~int | ~int64](v T) Null[T] { return Null[T]{V: v, Valid: true} }

// UnmarshalJSON implements json.Unmarshaler: null unsets n (the last of duplicate keys wins, as
// for any field); any other value decodes as T would, with T's errors.
func (n *Null[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*n = Null[T]{}
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = Null[T]{V: v, Valid: true}
	return nil
}

// MarshalJSON implements json.Marshaler: V, or null when not valid.
func (n Null[T]) MarshalJSON() ([]byte, error) {
	if !n.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(n.V)
}
