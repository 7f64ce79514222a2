package main

import (
	"fmt"
	"strings"

	"github.com/alecthomas/kingpin/v2"
)

// nameFlagErrors makes every flag's bad value name the flag. kingpin v2.4.0 returns a value's
// parse error bare, so "--zvm.timeout=soon" said only `time: invalid duration "soon"`.
// Cumulative flags are left alone, since wrapping would hide their IsCumulative.
func nameFlagErrors(app *kingpin.Application) {
	for _, fm := range app.Model().Flags {
		fc := app.GetFlag(fm.Name)
		if fc == nil {
			continue
		}
		switch v := fm.Value.(type) {
		case interface{ IsCumulative() bool }:
		case interface{ IsBoolFlag() bool }:
			fc.SetValue(namedBoolValue{namedValue{fm.Name, fm.Value}, v})
		default:
			fc.SetValue(namedValue{fm.Name, fm.Value})
		}
	}
}

// namedValue prefixes a flag's parse errors with --name, unless they name it already.
type namedValue struct {
	flag string
	kingpin.Value
}

func (n namedValue) Set(s string) error {
	err := n.Value.Set(s)
	if err == nil || strings.Contains(err.Error(), "--"+n.flag) {
		return err
	}
	return fmt.Errorf("--%s: %w", n.flag, err)
}

// namedBoolValue keeps a boolean flag boolean (--flag without a value, --no-flag).
type namedBoolValue struct {
	namedValue
	b interface{ IsBoolFlag() bool }
}

func (n namedBoolValue) IsBoolFlag() bool { return n.b.IsBoolFlag() }
