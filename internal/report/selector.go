package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Matcher is one label matcher of --selector or --zerto-selector.
type Matcher struct {
	Name, Op, Value string
}

func (m Matcher) String() string { return m.Name + m.Op + strconv.Quote(m.Value) }

var matcherRE = regexp.MustCompile(`^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*")\s*(?:,|$)`)

// ParseSelector reads label matchers such as `job="zerto", cluster=~"eu.*"`, with or without
// braces. Regular expressions are checked here, so that a typo fails before any query.
func ParseSelector(s string) ([]Matcher, error) {
	rest := strings.TrimSpace(s)
	rest = strings.TrimSuffix(strings.TrimPrefix(rest, "{"), "}")
	var ms []Matcher
	for strings.TrimSpace(rest) != "" {
		m := matcherRE.FindStringSubmatch(rest)
		if m == nil {
			return nil, fmt.Errorf("selector %q: expected label matchers such as cluster=\"eu1\" at %q", s, strings.TrimSpace(rest))
		}
		v, err := strconv.Unquote(m[3])
		if err != nil {
			return nil, fmt.Errorf("selector %q: %s: %w", s, m[3], err)
		}
		if m[2] == "=~" || m[2] == "!~" {
			if _, err := regexp.Compile("^(?:" + v + ")$"); err != nil {
				return nil, fmt.Errorf("selector %q: %s: %w", s, m[1], err)
			}
		}
		ms = append(ms, Matcher{Name: m[1], Op: m[2], Value: v})
		rest = rest[len(m[0]):]
	}
	return ms, nil
}

// joinMatchers renders matchers for the inside of a PromQL selector's braces.
func joinMatchers(ms []Matcher) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.String()
	}
	return strings.Join(parts, ",")
}
