package zvm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode"
)

// ErrNotSupported reports that an endpoint answered 404: the resource does not exist on this ZVM's
// flavour or version (e.g. /v1/statistics/vms on a Windows ZVM). Callers treat it as "no data", not
// as a failure. Test with errors.Is.
var ErrNotSupported = errors.New("endpoint not supported by this ZVM")

// APIError is a non-2xx answer of the ZVM.
type APIError struct {
	Method     string // HTTP method; empty means GET
	Endpoint   Endpoint
	StatusCode int
	Message    string // from the error body if any, truncated; never credentials

	oauth bool // the body was an OAuth error document (Keycloak)
}

func (e *APIError) Error() string {
	return statusLine(e.Method, e.Endpoint, e.StatusCode, e.Message)
}

// Is makes errors.Is(err, ErrNotSupported) true for a 404.
func (e *APIError) Is(target error) bool {
	return target == ErrNotSupported && e.StatusCode == http.StatusNotFound
}

// AuthError is a login that the ZVM or Keycloak rejected (wrong credentials, unknown client,
// disabled account). It never carries a secret.
type AuthError struct {
	Endpoint   Endpoint
	StatusCode int
	Message    string // e.g. Keycloak's "invalid_grant: Invalid user credentials"

	oauth bool // the body was a Keycloak/OAuth error: proof that this is an appliance
}

func (e *AuthError) Error() string {
	return "login failed: " + statusLine(http.MethodPost, e.Endpoint, e.StatusCode, e.Message)
}

// backoffError is returned without a request while failed logins back off; it wraps the last
// login error so that errors.As(err, *AuthError) still holds.
type backoffError struct {
	until time.Time
	err   error
}

func (e *backoffError) Error() string {
	return fmt.Sprintf("login backing off until %s: %v", e.until.UTC().Format(time.RFC3339), e.err)
}

func (e *backoffError) Unwrap() error { return e.err }

func statusLine(method string, ep Endpoint, code int, msg string) string {
	if method == "" {
		method = http.MethodGet
	}
	s := fmt.Sprintf("%s %s: HTTP %d", method, ep, code)
	if t := http.StatusText(code); t != "" {
		s += " " + t
	}
	if msg != "" {
		s += ": " + msg
	}
	return s
}

const (
	maxErrorBody    = 4 << 10
	maxErrorMessage = 200
)

// errorMessage extracts a short, single-line message from an error body: the ASP.NET "Message",
// Keycloak's "error: error_description", or plain text. HTML pages yield nothing. The second
// result says whether the body was an OAuth error.
func errorMessage(body io.Reader) (msg string, oauth bool) {
	b, _ := io.ReadAll(io.LimitReader(body, maxErrorBody))
	var e struct {
		Message          string `json:"Message"`
		Error            any    `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	if json.Unmarshal(b, &e) == nil {
		if s, ok := e.Error.(string); ok && s != "" {
			msg, oauth = s, true
			if e.ErrorDescription != "" {
				msg += ": " + e.ErrorDescription
			}
		} else {
			msg = e.Message
		}
		return clip(msg), oauth
	}
	s := strings.TrimSpace(string(b))
	if strings.HasPrefix(s, "<") {
		return "", false
	}
	return clip(s), false
}

// clip makes s printable on one line and at most maxErrorMessage runes long.
func clip(s string) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || !unicode.IsPrint(r)
	}), " ")
	if r := []rune(s); len(r) > maxErrorMessage {
		s = string(r[:maxErrorMessage]) + "…"
	}
	return s
}
