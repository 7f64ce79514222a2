package zvm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/zerto-exporter/zerto_exporter/internal/jsonstream"
)

// resource is one GET: the endpoint, the identifier that fills its placeholder when it is
// templated (/v1/vpgs/{vpgIdentifier}/...), and the query.
type resource struct {
	ep    Endpoint
	id    string
	query url.Values
}

// get reads r with credentials (see authed) and decodes its body as s says, within the client's
// response size cap (see decodeBody). Every read of the API goes through it.
func get[V any](ctx context.Context, c *Client, r resource, s shape[V]) (V, error) {
	var zero V
	rq := call{ep: r.ep, query: r.query}
	if r.id != "" || strings.Contains(string(r.ep), "{") {
		path, err := expand(r.ep, r.id)
		if err != nil {
			return zero, err
		}
		rq.path = path
	}
	err := c.authed(ctx, rq, func(resp *http.Response) error {
		if err := decodeBody(resp.Body, c.maxBytes, s.target()); err != nil {
			return fmt.Errorf("%s %s: %w", rq.verb(), rq.ep, err)
		}
		return nil
	})
	if err != nil {
		return zero, err
	}
	v, err := s.value()
	if err != nil {
		return zero, fmt.Errorf("%s %s: %w", rq.verb(), rq.ep, err)
	}
	return v, nil
}

// decoded reads an endpoint whose answer needs only decoding: a new shape from newShape per read.
func decoded[V any, S shape[V]](newShape func() S) reader {
	return func(ctx context.Context, c *Client, r Request) (any, error) {
		return get(ctx, c, resource{ep: r.Endpoint, id: r.ID}, newShape())
	}
}

// streamed reads a list whose elements have a hand-written decoder (decode_stream.go).
func streamed[T any, P interface {
	*T
	member
}](fields *jsonstream.Fields) reader {
	return decoded(func() *handwrittenShape[T, P] { return handwritten[T, P](fields) })
}

// expand fills the one {placeholder} of a templated endpoint with id. An id that would leave its
// path segment (a slash, or a dot segment) is refused rather than sent.
func expand(ep Endpoint, id string) (string, error) {
	if id == "" || id == "." || id == ".." || strings.ContainsAny(id, "/\\") {
		return "", fmt.Errorf("GET %s: unusable identifier %q", ep, id)
	}
	open, close := strings.IndexByte(string(ep), '{'), strings.IndexByte(string(ep), '}')
	if open < 0 || close < open {
		return "", fmt.Errorf("GET %s: not a templated endpoint", ep)
	}
	return string(ep[:open]) + id + string(ep[close+1:]), nil
}

// A shape is how a response body decodes into a V: target is what decodeBody fills, value the
// result once it has.
type shape[V any] interface {
	target() any
	value() (V, error)
}

var errNull = errors.New("the ZVM answered null")

// objectShape is a JSON object; null is an error, since every caller needs the object.
type objectShape[T any] struct{ v *T }

func object[T any]() *objectShape[T] { return &objectShape[T]{} }

func (s *objectShape[T]) target() any { return &s.v }

func (s *objectShape[T]) value() (*T, error) {
	if s.v == nil {
		return nil, errNull
	}
	return s.v, nil
}

// scalarShape is a JSON value decoded by T's own UnmarshalJSON (a date string).
type scalarShape[T any] struct{ v T }

func scalar[T any]() *scalarShape[T] { return &scalarShape[T]{} }

func (s *scalarShape[T]) target() any       { return &s.v }
func (s *scalarShape[T]) value() (T, error) { return s.v, nil }

// listShape is a JSON array (null is empty) decoded element by element with encoding/json
// (jsonList).
type listShape[T any] struct{ items []T }

func list[T any]() *listShape[T] { return &listShape[T]{} }

func (s *listShape[T]) target() any         { return jsonList[T]{&s.items} }
func (s *listShape[T]) value() ([]T, error) { return s.items, nil }

// handwrittenShape is a JSON array (null is empty) of a type with a hand-written decoder
// (handwrittenList, decode_stream.go).
type handwrittenShape[T any, P interface {
	*T
	member
}] struct {
	items  []T
	fields *jsonstream.Fields
}

func handwritten[T any, P interface {
	*T
	member
}](fields *jsonstream.Fields) *handwrittenShape[T, P] {
	return &handwrittenShape[T, P]{fields: fields}
}

func (s *handwrittenShape[T, P]) target() any {
	return handwrittenList[T, P]{&s.items, s.fields}
}

func (s *handwrittenShape[T, P]) value() ([]T, error) { return s.items, nil }
