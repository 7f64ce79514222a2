package main

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/collector"
)

var update = flag.Bool("update", false, "rewrite generated files instead of comparing")

// flagsTable renders docs/flags.md's flag table from the kingpin model, so it cannot drift. The
// per-collector switches are left out: the collector table lists the collectors.
func flagsTable() string {
	var f flags
	app := newApp(&f)
	var b strings.Builder
	b.WriteString("| flag | default | environment | description |\n|---|---|---|---|\n")
	for _, fl := range app.Model().Flags {
		if fl.Hidden || fl.Name == "help" || fl.Name == "version" || strings.HasPrefix(fl.Name, "collector.") && fl.Name != "collector.recovery.lookback" && fl.Name != "collector.disable-defaults" {
			continue
		}
		env := ""
		if fl.Envar != "" {
			env = "`" + fl.Envar + "`"
		}
		def := strings.Join(fl.Default, ",")
		if def != "" {
			def = "`" + def + "`"
		}
		fmt.Fprintf(&b, "| `--%s` | %s | %s | %s |\n", fl.Name, def, env, strings.ReplaceAll(fl.Help, "|", "\\|"))
	}
	return b.String()
}

// collectorsTable renders the README's collector table from the collector registry.
func collectorsTable() string {
	var b strings.Builder
	b.WriteString("| collector | default | ZVM endpoints | what it exports |\n|---|---|---|---|\n")
	for _, c := range collector.Available() {
		on := "disabled"
		if c.DefaultOn {
			on = "enabled"
		}
		var eps []string
		for _, e := range c.Owns {
			eps = append(eps, "`"+string(e)+"`")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", c.Name, on, strings.Join(eps, ", "), c.Help)
	}
	return b.String()
}

// checkGeneratedSection compares the section between `<!-- BEGIN name ...-->` and
// `<!-- END name -->` of the file at path with body, or rewrites it under -update.
func checkGeneratedSection(t *testing.T, path, name, body string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?s)(<!-- BEGIN ` + name + ` [^\n]*-->\n).*?(<!-- END ` + name + ` -->)`)
	if !re.Match(b) {
		t.Fatalf("%s has no %s section between <!-- BEGIN %s ... --> and <!-- END %s -->", path, name, name, name)
	}
	want := re.ReplaceAllString(string(b), "${1}"+strings.ReplaceAll(body, "$", "$$")+"${2}")
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != string(b) {
		t.Fatalf("%s: the %s table differs from the code; run: make golden", path, name)
	}
}

// TestFlagsReference: docs/flags.md lists every flag as the code declares it.
func TestFlagsReference(t *testing.T) {
	checkGeneratedSection(t, "../../docs/flags.md", "FLAGS", flagsTable())
}

// TestReadmeCollectors: README.md's collector table is the collector registry's.
func TestReadmeCollectors(t *testing.T) {
	checkGeneratedSection(t, "../../README.md", "COLLECTORS", collectorsTable())
}
