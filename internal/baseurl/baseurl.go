// Package baseurl checks the base URL of a remote API, a ZVM's or vCenter's, by one rule wherever
// one is given: a flag, a /probe target or a client's configuration.
package baseurl

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Parse returns raw as a URL if it is an http:// or https:// URL with a host and nothing that
// would leak or be ignored: no credentials (they belong in the username and password settings,
// and a URL ends up in logs), no query and no fragment. A path is allowed. Errors show the URL
// with any password hidden.
func Parse(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL", Redact(raw))
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https", u.Hostname() == "":
		return nil, fmt.Errorf("%q is not an http:// or https:// URL with a host", u.Redacted())
	case u.User != nil:
		return nil, fmt.Errorf("%q must be a URL without credentials: give them in the username and password settings", u.Redacted())
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("%q must be a base URL without a query or fragment", u.Redacted())
	}
	return u, nil
}

// Redact hides any password written into a URL, for logs, errors and /config.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparseable URL>"
	}
	return u.Redacted()
}

// Key returns the form of a parsed base URL under which two spellings of one server are equal:
// the scheme, the lower-cased host with the scheme's default port written out, and the path
// without a trailing slash. It keys login back-off and the targets a module may reach.
func Key(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	return u.Scheme + "://" + net.JoinHostPort(host, port) + strings.TrimRight(u.EscapedPath(), "/")
}

// ParseKey parses raw as Parse does and returns its Key.
func ParseKey(raw string) (string, error) {
	u, err := Parse(raw)
	if err != nil {
		return "", err
	}
	return Key(u), nil
}
