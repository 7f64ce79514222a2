package report

import (
	"slices"
	"testing"
)

// FuzzParseSelector checks that --selector never panics, and that a selector it accepts is
// rendered into queries as matchers it reads back unchanged.
func FuzzParseSelector(f *testing.F) {
	for _, s := range []string{`job="zerto"`, `{cluster=~"eu.*", dc!="a\"b"}`, `a!~"(x|y)",b="",`, `x="\u00e9\n"`, `=`, `a="`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms, err := ParseSelector(s)
		if err != nil {
			return
		}
		again, err := ParseSelector(joinMatchers(ms))
		if err != nil || !slices.Equal(again, ms) {
			t.Fatalf("%q parsed as %v, rendered as %q, read back as %v, %v", s, ms, joinMatchers(ms), again, err)
		}
	})
}
