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
