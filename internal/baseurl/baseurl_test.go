package baseurl

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, ok := range []string{"https://zvm.example.com", "http://zvm:9669", "https://vc.example.com/sdk", "https://[::1]:443/"} {
		if _, err := Parse(ok); err != nil {
			t.Errorf("Parse(%q): %v", ok, err)
		}
	}
	for raw, want := range map[string]string{
		"zvm.example.com":              "not an http:// or https:// URL with a host",
		"ftp://zvm":                    "not an http:// or https:// URL with a host",
		"https://":                     "not an http:// or https:// URL with a host",
		"https://:443":                 "not an http:// or https:// URL with a host",
		"https://u:hunter2@zvm":        "without credentials",
		"https://u@zvm":                "without credentials",
		"https://zvm/?a=b":             "without a query or fragment",
		"https://zvm/?":                "without a query or fragment",
		"https://zvm/#x":               "without a query or fragment",
		"https://u:hunter2@zvm/%zz":    "is not a URL",
		"https://u:hunter2@zvm/?a=b":   "without credentials",
		"https://u:hunter2@zvm/path#f": "without credentials",
	} {
		_, err := Parse(raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", raw, err, want)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Parse(%q): the error shows the password: %v", raw, err)
		}
	}
}

// TestKey: the spellings of one ZVM share a key (case, default port, trailing slash, a trailing
// dot), and other servers, ports, schemes or paths do not.
func TestKey(t *testing.T) {
	same := []string{"https://zvm.example.com", "https://ZVM.Example.com", "https://zvm.example.com:443",
		"https://zvm.example.com/", "HTTPS://zvm.example.com:443/", "https://zvm.example.com.:443"}
	for _, raw := range same {
		if k, err := ParseKey(raw); err != nil || k != "https://zvm.example.com:443" {
			t.Errorf("ParseKey(%q) = %q, %v; want https://zvm.example.com:443", raw, k, err)
		}
	}
	seen := map[string]string{}
	for _, raw := range []string{"https://zvm.example.com", "http://zvm.example.com", "https://zvm.example.com:9669",
		"https://zvm2.example.com", "https://zvm.example.com/api", "http://zvm.example.com:443", "https://[::1]", "https://[::1]:80"} {
		k, err := ParseKey(raw)
		if err != nil {
			t.Fatalf("ParseKey(%q): %v", raw, err)
		}
		if prev, dup := seen[k]; dup {
			t.Errorf("%q and %q share the key %q", raw, prev, k)
		}
		seen[k] = raw
	}
	if _, err := ParseKey("ftp://zvm"); err == nil {
		t.Error("ParseKey accepted ftp://")
	}
}
