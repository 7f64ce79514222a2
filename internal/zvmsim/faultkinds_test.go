package zvmsim

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite README.md's fault table from faultKinds")

const (
	faultTableStart = "<!-- fault table: generated from faultKinds in faultkinds.go by `make golden` -->\n"
	faultTableEnd   = "<!-- end of fault table -->"
)

// faultTable renders faultKinds as README.md's fault table.
func faultTable() string {
	var b strings.Builder
	b.WriteString("| kind | fields | what the ZVMs show |\n|---|---|---|\n")
	for _, k := range faultKinds {
		b.WriteString("| `" + k.name + "` | " + k.fieldsDoc + " | " + k.shows + " |\n")
	}
	return b.String()
}

// TestFaultTableInREADME: README.md's fault table is the one faultKinds declares (-update
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
			t.Fatalf("README.md's fault table is not faultKinds' (run `make golden`):\n%s", want)
		}
		if err := os.WriteFile("README.md", []byte(s[:start]+want+s[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range faultKinds {
		for _, f := range k.fields {
			if _, err := decodeFault(strings.NewReader(`{"kind":"` + k.name + `","` + f + `":null}`)); err != nil {
				t.Errorf("%s: field %s: %v", k.name, f, err)
			}
		}
	}
}
