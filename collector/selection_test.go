package collector

import (
	"slices"
	"testing"

	"github.com/alecthomas/kingpin/v2"
)

// TestEnableByDefault checks that EnableByDefault turns an opt-in collector on unless the command
// line says otherwise.
func TestEnableByDefault(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{nil, true},
		{[]string{"--no-collector.checkpoints"}, false},
		{[]string{"--collector.disable-defaults"}, false},
		{[]string{"--collector.disable-defaults", "--collector.checkpoints"}, true},
	} {
		app := kingpin.New("test", "")
		sel := AddFlags(app)
		if _, err := app.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(sel.Enabled(), "checkpoints") && len(c.args) == 0 {
			t.Fatal("checkpoints is on by default; pick an opt-in collector for this test")
		}
		sel.EnableByDefault("checkpoints")
		if got := slices.Contains(sel.Enabled(), "checkpoints"); got != c.want {
			t.Errorf("%v: checkpoints enabled %t, want %t", c.args, got, c.want)
		}
	}
}
