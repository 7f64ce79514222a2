package sim

import (
	"slices"
	"strings"
	"time"
)

// CanonicalPath lower-cases a request path and drops a trailing slash.
func CanonicalPath(p string) string {
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	return strings.ToLower(p)
}

// NetFaults is what the transport faults do to one request.
type NetFaults struct {
	Delay     time.Duration
	Status    int
	Malformed bool
	Huge      *Fault // a huge_body fault: its body replaces the resource
	Sets      []Fault
}

// NetFaultsFor applies the http_error, latency, malformed and huge_body faults that
// match path, using up one of each counted fault's requests.
func (m *Model) NetFaultsFor(path string, now time.Time) NetFaults {
	var nf NetFaults
	if !m.hasNet.Load() {
		return nf
	}
	m.Mu.Lock()
	defer m.Mu.Unlock()
	var spent []*ActiveFault
	for _, af := range m.Fx.net {
		f := af.Fault
		endpoint := CanonicalPath(f.Endpoint)
		switch {
		case f.Kind == KindLatency && (endpoint == "" || endpoint == "*" || endpoint == path):
			nf.Delay = max(nf.Delay, time.Duration(f.MS)*time.Millisecond)
			continue
		case endpoint != path:
			continue
		case f.Kind == KindHTTPError && nf.Status == 0:
			nf.Status = f.Status
		case f.Kind == KindMalformed && !nf.Malformed:
			nf.Malformed = true
		case f.Kind == KindHugeBody && nf.Huge == nil:
			nf.Huge = &f
		case f.Kind == KindSet:
			nf.Sets = append(nf.Sets, f)
			continue
		default:
			continue
		}
		if af.Remaining > 0 {
			if af.Remaining--; af.Remaining == 0 {
				spent = append(spent, af)
			}
		}
	}
	if len(spent) > 0 {
		m.Remove(now, func(af *ActiveFault) bool { return slices.Contains(spent, af) })
	}
	return nf
}
