package snapshot

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"sync"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// maxUnknownKeys bounds the (field, code) pairs remembered for logging and counting, so that a
// ZVM sending ever new codes cannot grow memory; later pairs are counted under code "other".
const maxUnknownKeys = 256

// UnknownKey is a (field, code) pair the exporter could not name.
type UnknownKey struct {
	Field zvm.EnumField
	Code  string
}

// EnumNames names the codes of one ZVM's enumerations: from the built-in table, else from the
// ZVM's own name list (read once, when a code outside the table first appears), else Unknown.
// It lives as long as its Source, so the lists are read once per target and the unknown codes are
// counted across refreshes.
type EnumNames struct {
	logger log.Logger

	mu      sync.Mutex
	lists   map[zvm.EnumField][]string // the ZVM's lists read so far; nil entry: read, none
	unknown map[UnknownKey]float64
}

// NewEnumNames returns an EnumNames that knows the given ZVM name lists (nil: none read yet).
func NewEnumNames(logger log.Logger, lists map[zvm.EnumField][]string) *EnumNames {
	if lists == nil {
		lists = map[zvm.EnumField][]string{}
	}
	return &EnumNames{logger: logger, lists: lists, unknown: map[UnknownKey]float64{}}
}

// Name returns the name of code: Zerto's name from the built-in table or the ZVM's list, or
// Unknown. e may be nil (a snapshot built without a Source): the table alone then names codes.
func (e *EnumNames) Name(field zvm.EnumField, code int) string {
	table := zvm.Enums[field].Table
	if code >= 0 && code < len(table) {
		return table[code]
	}
	if e == nil {
		return zvm.Unknown
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if list := e.lists[field]; code >= 0 && code < len(list) && list[code] != "" {
		return list[code]
	}
	return zvm.Unknown
}

// States returns the label values of a state set over field: the built-in names, the names the
// ZVM lists beyond them, and Unknown.
func (e *EnumNames) States(field zvm.EnumField) []string {
	table := zvm.Enums[field].Table
	states := slices.Clone(table)
	if e != nil {
		e.mu.Lock()
		list := e.lists[field]
		e.mu.Unlock()
		for i := len(table); i < len(list); i++ {
			if list[i] != "" && !slices.Contains(states, list[i]) {
				states = append(states, list[i])
			}
		}
	}
	return append(states, zvm.Unknown)
}

// Unknown returns how often each (field, code) was seen and could not be named, since the Source
// started.
func (e *EnumNames) Unknown() map[UnknownKey]float64 {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return maps.Clone(e.unknown)
}

// resolve reads the ZVM's name list of each field that has codes outside its built-in table
// (once per field: a failed read other than 404 is tried again in the next refresh), then counts
// and logs, once per (field, code), the codes still unnamed.
func (e *EnumNames) resolve(ctx context.Context, client zvm.Reader, codes map[zvm.EnumField][]int) {
	for field, cs := range codes {
		table := zvm.Enums[field].Table
		outside := slices.ContainsFunc(cs, func(c int) bool { return c < 0 || c >= len(table) })
		e.mu.Lock()
		_, read := e.lists[field]
		e.mu.Unlock()
		if !outside || read {
			continue
		}
		list, err := zvm.ReadAs[[]string](ctx, client, zvm.Request{Endpoint: zvm.Enums[field].Names})
		switch {
		case err == nil:
		case errors.Is(err, zvm.ErrNotSupported):
			list = nil // this ZVM has no such list: do not ask again
		default:
			level.Warn(e.logger).Log("msg", "reading the ZVM's names of an enumeration failed; trying again next refresh",
				"field", field, "endpoint", zvm.Enums[field].Names, "err", err)
			continue
		}
		e.mu.Lock()
		e.lists[field] = list
		e.mu.Unlock()
	}
	for field, cs := range codes {
		for _, c := range cs {
			if e.Name(field, c) == zvm.Unknown {
				e.Count(field, c)
			}
		}
	}
}

// Count records one sighting of a code that could not be named, logging the first of each
// (field, code).
func (e *EnumNames) Count(field zvm.EnumField, code int) {
	k := UnknownKey{Field: field, Code: strconv.Itoa(code)}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, seen := e.unknown[k]; !seen {
		if len(e.unknown) >= maxUnknownKeys {
			k.Code = "other"
		} else {
			level.Warn(e.logger).Log("msg", "enumeration code neither the exporter nor the ZVM names; exported as Unknown",
				"field", field, "code", code)
		}
	}
	e.unknown[k]++
}

// enumCodes collects the codes of snap's enumerations, by field.
func enumCodes(snap *Snapshot) map[zvm.EnumField][]int {
	codes := map[zvm.EnumField][]int{}
	add := func(f zvm.EnumField, n zvm.Null[int]) {
		if n.Valid {
			codes[f] = append(codes[f], n.V)
		}
	}
	for i := range snap.VPGs {
		add(zvm.FieldVPGStatus, snap.VPGs[i].Status)
		add(zvm.FieldVPGSubStatus, snap.VPGs[i].SubStatus)
	}
	for i := range snap.VRAs {
		add(zvm.FieldVRAStatus, snap.VRAs[i].Status)
	}
	for i := range snap.PeerSites {
		add(zvm.FieldPairingStatus, snap.PeerSites[i].PairingStatus)
	}
	return codes
}
