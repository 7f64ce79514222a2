package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Formats, and the file each writes.
var formatFiles = map[string]string{
	"html": "report.html",
	"pdf":  "report.pdf",
	"csv":  "evidence.csv",
	"json": "evidence.json",
}

// AllFormats are the formats in the order they are written.
var AllFormats = []string{"html", "pdf", "csv", "json"}

// ManifestFile lists the hashes of the other files.
const ManifestFile = "manifest.json"

// ParseFormats reads --format: a comma-separated subset of AllFormats.
func ParseFormats(s string) ([]string, error) {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if _, ok := formatFiles[f]; !ok {
			return nil, fmt.Errorf("--format: unknown format %q (known: %s)", f, strings.Join(AllFormats, ", "))
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// Manifest is manifest.json.
type Manifest struct {
	Tool          string            `json:"tool"`
	Version       string            `json:"version"`
	GeneratedAt   time.Time         `json:"generated_at"`
	Period        Period            `json:"period"`
	Selector      string            `json:"selector"`
	PrometheusURL string            `json:"prometheus_url"`
	Files         map[string]string `json:"sha256"`
}

// PDFOptions are the PDF's page settings.
type PDFOptions struct {
	PageSize string // A4 or Letter
}

// Write renders the formats into dir. Every file is written to a temporary name first and all are
// renamed once every one is complete, then the manifest; on an error nothing new is left behind.
func Write(dir string, r *Report, formats []string, pdf PDFOptions) (written []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("--output.dir: %w", err)
	}
	type pending struct{ tmp, name string }
	var temps []pending
	defer func() {
		if err != nil {
			for _, p := range temps {
				os.Remove(p.tmp)
			}
		}
	}()
	m := Manifest{Tool: "zerto_report", Version: r.Version, GeneratedAt: r.GeneratedAt, Period: r.Period,
		Selector: r.Selector, PrometheusURL: r.PrometheusURL, Files: map[string]string{}}
	for _, f := range formats {
		var buf bytes.Buffer
		switch f {
		case "html":
			err = WriteHTML(&buf, r)
		case "pdf":
			err = WritePDF(&buf, r, pdf)
		case "csv":
			err = WriteCSV(&buf, r)
		case "json":
			err = WriteJSON(&buf, r)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", formatFiles[f], err)
		}
		tmp, err := writeTemp(dir, formatFiles[f], buf.Bytes())
		if err != nil {
			return nil, err
		}
		temps = append(temps, pending{tmp, formatFiles[f]})
		sum := sha256.Sum256(buf.Bytes())
		m.Files[formatFiles[f]] = hex.EncodeToString(sum[:])
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	tmp, err := writeTemp(dir, ManifestFile, append(mb, '\n'))
	if err != nil {
		return nil, err
	}
	temps = append(temps, pending{tmp, ManifestFile})
	for _, p := range temps {
		if err := os.Rename(p.tmp, filepath.Join(dir, p.name)); err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		written = append(written, p.name)
	}
	return written, nil
}

// writeTemp writes b to a new temporary file beside name in dir, synced to disk.
func writeTemp(dir, name string, b []byte) (string, error) {
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return f.Name(), nil
}

// Verify re-computes the SHA-256 of every file the manifest in dir lists and reports each that is
// missing or differs.
func Verify(dir string, out io.Writer) error {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("verify: %s: %w", ManifestFile, err)
	}
	if len(m.Files) == 0 {
		return fmt.Errorf("verify: %s lists no files", ManifestFile)
	}
	var bad []string
	for _, name := range slices.Sorted(maps.Keys(m.Files)) {
		if filepath.Base(name) != name {
			bad = append(bad, name+": not a file name of this directory")
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != m.Files[name] {
			bad = append(bad, fmt.Sprintf("%s: SHA-256 %s, manifest says %s", name, got, m.Files[name]))
			continue
		}
		fmt.Fprintf(out, "%s: OK\n", name)
	}
	if len(bad) > 0 {
		return errors.New("verify: " + strings.Join(bad, "; "))
	}
	return nil
}
