package zvmsim

import (
	"fmt"
	"net/http"
)

// apiError is a client error of a /v1 call, answered with its status and
// the ZVM's {"Message": ...} body.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequestf(format string, args ...any) error {
	return &apiError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func notFoundf(format string, args ...any) error {
	return &apiError{http.StatusNotFound, fmt.Sprintf(format, args...)}
}

// notImplemented answers a path whose data the simulated vSphere estate cannot give.
func notImplemented(reason string) func(*view) error {
	return func(*view) error { return &apiError{http.StatusNotImplemented, "Not simulated: " + reason} }
}
