package zvmsim

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

var update = flag.Bool("update", false, "rewrite README.md's fault table from sim.FaultKinds")

const (
	faultTableStart = "<!-- fault table: generated from sim.FaultKinds (sim/faultkinds.go) by `make golden` -->\n"
	faultTableEnd   = "<!-- end of fault table -->"
)

// faultTable renders sim.FaultKinds as README.md's fault table.
func faultTable() string {
	var b strings.Builder
	b.WriteString("| kind | fields | what the ZVMs show |\n|---|---|---|\n")
	for _, k := range sim.FaultKinds {
		b.WriteString("| `" + k.Name + "` | " + k.FieldsDoc + " | " + k.Shows + " |\n")
	}
	return b.String()
}

// TestFaultTableInREADME: README.md's fault table is the one sim.FaultKinds declares (-update
// rewrites it), and every kind's fields are Fault's JSON fields.
func TestFaultTableInREADME(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	start, end := strings.Index(s, faultTableStart), strings.Index(s, faultTableEnd)
	if start < 0 || end < start {
		t.Fatalf("README.md has no fault table between %q and %q", faultTableStart, faultTableEnd)
	}
	start += len(faultTableStart)
	if want := faultTable(); s[start:end] != want {
		if !*update {
			t.Fatalf("README.md's fault table is not sim.FaultKinds' (run `make golden`):\n%s", want)
		}
		if err := os.WriteFile("README.md", []byte(s[:start]+want+s[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range sim.FaultKinds {
		for _, f := range k.Fields {
			if _, err := decodeFault(strings.NewReader(`{"kind":"` + k.Name + `","` + f + `":null}`)); err != nil {
				t.Errorf("%s: field %s: %v", k.Name, f, err)
			}
		}
	}
}
