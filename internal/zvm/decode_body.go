package zvm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unsafe"

	"github.com/zerto-exporter/zerto_exporter/internal/jsonstream"
)

// A response is decoded within the budget of its size cap (limit, --zvm.max-response-size), so
// that no body, whatever its shape, costs much more memory than the cap:
//   - the body is read as a stream, at most limit bytes of it;
//   - no single value (list element, object, string) may span more than a quarter of it, since
//     a decoder buffers the value it is reading whole, and grows its buffer by doubling;
//   - a list's decoded elements may take at most half of it, since the slice holding them briefly
//     holds its old and its new array while it grows: a body of empty objects ("[{},{},…]")
//     would otherwise decode to a hundred times its own size.
//
// The strings of the elements are copied from the body, so they take no more than the bytes
// read. Real data is far from these bounds: a VM row is about 2 KB of JSON and 256 bytes decoded
// plus its strings, and no element or object is bigger than some kilobytes.
var (
	errDecodedTooBig = errors.New("too many elements")
	errValueTooBig   = errors.New("value too big")
)

// minDecodedList is the least budget for decoded elements and single values, for tiny caps.
const minDecodedList = 1 << 20

// decodedBudget is how many bytes of decoded elements a response of at most limit bytes may hold.
func decodedBudget(limit int64) int64 { return max(limit/2, minDecodedList) }

// valueBudget is how many bytes one value of a response of at most limit bytes may span.
func valueBudget(limit int64) int64 { return max(limit/4, minDecodedList) }

// overBudget returns errDecodedTooBig when n decoded elements of T take more than the budget for
// a response of at most limit bytes.
func overBudget[T any](n int, limit int64) error {
	elem := max(int64(unsafe.Sizeof(*new(T))), 1) //nolint:gosec // a type's size fits an int64
	if int64(n)*elem > decodedBudget(limit) {
		return fmt.Errorf("%w: %d decoded elements of %d bytes", errDecodedTooBig, n, elem)
	}
	return nil
}

// appendWithin appends item to *items. The slice grows by doubling, which leaves half the garbage
// append's growth by a quarter does at this size, but never past the decoded budget of limit, so
// that a slice at its budget and its copy together take at most one and a half times it.
func appendWithin[T any](items *[]T, item T, limit int64) {
	s := *items
	if len(s) == cap(s) {
		elem := max(int64(unsafe.Sizeof(item)), 1) //nolint:gosec // a type's size fits an int64
		n := min(max(2*len(s), 16), int(decodedBudget(limit)/elem))
		grown := make([]T, len(s), max(n, len(s)+1))
		copy(grown, s)
		s = grown
	}
	*items = append(s, item)
}

// body reads a response of at most limit bytes (one more, to tell that it is bigger), and at most
// valueBudget(limit) bytes past the start of the value being decoded (startValue): reading
// further fails with errValueTooBig. Decoders read ahead, so a value may span up to one read
// buffer more.
type body struct {
	lr    io.LimitedReader
	limit int64
	mark  int64 // bytes read when the current value started
}

func newBody(r io.Reader, limit int64) *body {
	return &body{lr: io.LimitedReader{R: r, N: limit + 1}, limit: limit}
}

func (b *body) read() int64 { return b.limit + 1 - b.lr.N }

// tooBig reports whether the body is longer than limit.
func (b *body) tooBig() bool { return b.lr.N <= 0 }

// startValue starts the budget of one value (a list element) at the bytes read so far.
func (b *body) startValue() { b.mark = b.read() }

func (b *body) Read(p []byte) (int, error) {
	room := b.mark + valueBudget(b.limit) - b.read()
	if room <= 0 {
		return 0, fmt.Errorf("%w: over %d bytes", errValueTooBig, valueBudget(b.limit))
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	return b.lr.Read(p)
}

// jsonListDecoder decodes a JSON array one element at a time with encoding/json, under the
// budget of b.
type jsonListDecoder interface {
	decodeJSON(dec *json.Decoder, b *body) error
}

// jsonList streams a JSON array (or null) into *items, so a 10,000-VM list never sits in memory
// twice.
type jsonList[T any] struct{ items *[]T }

func (l jsonList[T]) decodeJSON(dec *json.Decoder, b *body) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil // null
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("want a JSON array, got %s", tokenKind(tok))
	}
	for dec.More() {
		if err := overBudget[T](len(*l.items)+1, b.limit); err != nil {
			return err
		}
		b.startValue()
		var item T
		if err := dec.Decode(&item); err != nil {
			return fmt.Errorf("element %d: %w", len(*l.items), eofIsUnexpected(err))
		}
		appendWithin(l.items, item, b.limit)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return eofIsUnexpected(err)
	}
	return nil
}

func tokenKind(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		return "an object"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", tok)
}

func eofIsUnexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// handwrittenListDecoder decodes a JSON array with a hand-written decoder (decode_stream.go),
// under the same budget as jsonListDecoder.
type handwrittenListDecoder interface {
	decodeHandwritten(d *jsonstream.Decoder, b *body) error
}

// decodeBody decodes one JSON value from r into out (a pointer, a jsonListDecoder or a
// handwrittenListDecoder), reading at most limit bytes, and rejects anything but whitespace after
// it. It never panics. The decoded data is held to the budget of limit (see body).
func decodeBody(r io.Reader, limit int64, out any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("decoding response: internal error: %v", p)
		}
	}()
	b := newBody(r, limit)
	tooBig := b.tooBig
	var trailing func() bool // reports whether more than whitespace follows the value
	switch out := out.(type) {
	case handwrittenListDecoder:
		d := jsonstream.NewDecoder(b)
		err = out.decodeHandwritten(d, b)
		trailing = func() bool { d.End(); return d.Err() != nil }
	case jsonListDecoder:
		dec := json.NewDecoder(b)
		err = out.decodeJSON(dec, b)
		trailing = func() bool { _, err := dec.Token(); return !errors.Is(err, io.EOF) }
	default:
		dec := json.NewDecoder(b)
		err = dec.Decode(out)
		trailing = func() bool { _, err := dec.Token(); return !errors.Is(err, io.EOF) }
	}
	switch {
	case tooBig():
		return fmt.Errorf("response exceeds %d bytes", limit)
	case errors.Is(err, errDecodedTooBig):
		return fmt.Errorf("response of at most %d bytes decodes to over %d: %w", limit, decodedBudget(limit), err)
	case errors.Is(err, errValueTooBig):
		return fmt.Errorf("response of at most %d bytes: %w", limit, err)
	case errors.Is(err, io.EOF):
		return errors.New("empty response body")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("truncated response: %w", err)
	case err != nil:
		return fmt.Errorf("decoding response: %w", err)
	}
	if trailing() {
		if tooBig() {
			return fmt.Errorf("response exceeds %d bytes", limit)
		}
		return errors.New("decoding response: unexpected data after the JSON value")
	}
	return nil
}
