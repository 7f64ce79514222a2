package zvmsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// applySets applies set faults to a rendered body: each sets its dotted member path, in the
// body's object or in each element of its array that matches, to its value. Member names ignore
// case, as the ZVM's do; a path that names no member of an element leaves that element alone.
func applySets(body []byte, sets []Fault) ([]byte, error) {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // VraIdentifier and the like are above 2^53
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode the rendered body: %w", err)
	}
	elems, isList := doc.([]any)
	if !isList {
		elems = []any{doc}
	}
	for _, f := range sets {
		var value any
		if err := json.Unmarshal(f.Value, &value); err != nil {
			return nil, fmt.Errorf("value: %w", err)
		}
		matchPath, matchValue, _ := strings.Cut(f.Match, "=")
		for _, e := range elems {
			if f.Match != "" {
				got, ok := memberAt(e, strings.Split(matchPath, "."))
				if !ok || !strings.EqualFold(fmt.Sprint(got), matchValue) {
					continue
				}
			}
			setMember(e, strings.Split(f.Field, "."), value)
		}
	}
	return json.Marshal(doc)
}

// memberKey finds the key of obj that name names, ignoring case.
func memberKey(obj map[string]any, name string) (string, bool) {
	for k := range obj {
		if strings.EqualFold(k, name) {
			return k, true
		}
	}
	return "", false
}

func memberAt(v any, path []string) (any, bool) {
	for _, name := range path {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		k, ok := memberKey(obj, name)
		if !ok {
			return nil, false
		}
		v = obj[k]
	}
	return v, true
}

func setMember(v any, path []string, value any) {
	parent, ok := memberAt(v, path[:len(path)-1])
	obj, isObj := parent.(map[string]any)
	if !ok || !isObj {
		return
	}
	if k, ok := memberKey(obj, path[len(path)-1]); ok {
		obj[k] = value
	}
}
