package zvm

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

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

// getJSONListAt fetches the JSON array at ep with its placeholder set to id.
func getJSONListAt[T any](ctx context.Context, c *Client, ep Endpoint, id string, q url.Values) ([]T, error) {
	path, err := expand(ep, id)
	if err != nil {
		return nil, err
	}
	var items []T
	if err := c.getPath(ctx, ep, path, q, jsonList[T]{&items}); err != nil {
		return nil, err
	}
	return items, nil
}

// getObjectAt fetches the JSON object at ep with its placeholder set to id; null is an error.
func getObjectAt[T any](ctx context.Context, c *Client, ep Endpoint, id string) (*T, error) {
	path, err := expand(ep, id)
	if err != nil {
		return nil, err
	}
	var v *T
	if err := c.getPath(ctx, ep, path, nil, &v); err != nil {
		return nil, err
	}
	if v == nil {
		return nil, fmt.Errorf("GET %s: the ZVM answered null", ep)
	}
	return v, nil
}
