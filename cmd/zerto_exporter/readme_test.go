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

// flagsTable renders the README's flag table from the kingpin model, so it cannot drift.
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

func replaceSection(doc, name, body string) string {
	re := regexp.MustCompile(`(?s)(<!-- BEGIN ` + name + ` [^\n]*-->\n).*?(<!-- END ` + name + ` -->)`)
	return re.ReplaceAllString(doc, "${1}"+strings.ReplaceAll(body, "$", "$$")+"${2}")
}

func TestReadmeFlags(t *testing.T) {
	const path = "../../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := replaceSection(replaceSection(string(b), "FLAGS", flagsTable()), "COLLECTORS", collectorsTable())
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != string(b) {
		t.Fatalf("README.md flag or collector tables differ from the code; run: go test ./cmd/zerto_exporter -run TestReadmeFlags -update")
	}
}
