package snapshot

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-kit/log"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// TestEnumNames: codes inside the built-in tables need no request; a code outside takes the
// ZVM's name from its list, read once per target; a code neither knows is Unknown, logged once
// per (field, code) and counted every refresh it is seen.
func TestEnumNames(t *testing.T) {
	f := newFake()
	f.vpgs = []zvm.VPG{
		{VpgName: "known", Status: zvm.Some(1), SubStatus: zvm.Some(4)},
		{VpgName: "new", Status: zvm.Some(1), SubStatus: zvm.Some(38)},
		{VpgName: "unnamed", Status: zvm.Some(1), SubStatus: zvm.Some(99)},
		{VpgName: "null", Status: zvm.Null[int]{}, SubStatus: zvm.Null[int]{}},
	}
	f.vras = []zvm.VRA{{VraName: "v", Status: zvm.Some(10)}}
	f.names = map[zvm.Endpoint][]string{
		zvm.EndpointVPGSubStatusNames: append(append([]string{}, zvm.VPGSubStatuses...), "N36", "N37", "ScratchVolumeError", "N39", "N40", "N41", "N42"),
		zvm.EndpointVRAStatusNames:    append(append([]string{}, zvm.VRAStatuses...), "UpgradingVra"),
	}
	var logs bytes.Buffer
	src := NewSource(f, Options{Endpoints: []zvm.Endpoint{zvm.EndpointVPGs, zvm.EndpointVRAs}, Logger: log.NewLogfmtLogger(&logs)})
	var snap *Snapshot
	for range 3 {
		snap = src.refresh(context.Background())
	}
	e := snap.Enums
	for _, c := range []struct {
		field zvm.EnumField
		code  int
		want  string
	}{
		{zvm.FieldVPGSubStatus, 4, "Sync"},
		{zvm.FieldVPGSubStatus, 38, "ScratchVolumeError"},
		{zvm.FieldVPGSubStatus, 99, zvm.Unknown},
		{zvm.FieldVRAStatus, 10, "UpgradingVra"},
		{zvm.FieldVPGStatus, 1, "MeetingSLA"},
	} {
		if got := e.Name(c.field, c.code); got != c.want {
			t.Errorf("Name(%s, %d) = %q, want %q", c.field, c.code, got, c.want)
		}
	}
	if got := e.States(zvm.FieldVRAStatus); len(got) != len(zvm.VRAStatuses)+2 || got[10] != "UpgradingVra" || got[11] != zvm.Unknown {
		t.Errorf("VRA states %v", got)
	}
	f.mu.Lock()
	subReads, vraReads, statusReads := f.calls[zvm.EndpointVPGSubStatusNames], f.calls[zvm.EndpointVRAStatusNames], f.calls[zvm.EndpointVPGStatusNames]
	f.mu.Unlock()
	if subReads != 1 || vraReads != 1 || statusReads != 0 {
		t.Errorf("name lists read %d, %d, %d times over 3 refreshes; want once each where a code is outside the table, never otherwise", subReads, vraReads, statusReads)
	}
	want := map[UnknownKey]float64{{Field: zvm.FieldVPGSubStatus, Code: "99"}: 3}
	if got := e.Unknown(); len(got) != 1 || got[UnknownKey{zvm.FieldVPGSubStatus, "99"}] != want[UnknownKey{zvm.FieldVPGSubStatus, "99"}] {
		t.Errorf("unknown counts %v, want %v", got, want)
	}
	if n := strings.Count(logs.String(), "code=99"); n != 1 {
		t.Errorf("code 99 logged %d times, want once:\n%s", n, logs.String())
	}
}

// TestEnumNamesListFailure: a failed read of a list is tried again in the next refresh; a 404
// (an older ZVM without the list) is not.
func TestEnumNamesListFailure(t *testing.T) {
	for _, c := range []struct {
		err   error
		reads int
	}{
		{errors.New("503"), 2},
		{&zvm.APIError{Endpoint: zvm.EndpointVPGSubStatusNames, StatusCode: 404}, 1},
	} {
		f := newFake()
		f.vpgs = []zvm.VPG{{VpgName: "new", SubStatus: zvm.Some(40)}}
		f.errs[zvm.EndpointVPGSubStatusNames] = c.err
		src := NewSource(f, Options{Endpoints: []zvm.Endpoint{zvm.EndpointVPGs}, Now: time.Now})
		src.refresh(context.Background())
		snap := src.refresh(context.Background())
		if got := snap.Enums.Name(zvm.FieldVPGSubStatus, 40); got != zvm.Unknown {
			t.Errorf("%v: %q", c.err, got)
		}
		f.mu.Lock()
		reads := f.calls[zvm.EndpointVPGSubStatusNames]
		f.mu.Unlock()
		if reads != c.reads {
			t.Errorf("%v: list read %d times in 2 refreshes, want %d", c.err, reads, c.reads)
		}
	}
}
