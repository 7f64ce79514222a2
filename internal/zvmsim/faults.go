package zvmsim

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Fault describes a fault to inject (see README.md for each kind). Kind
// selects which of the other fields apply; the JSON names are those of the
// POST /_sim/faults body.
type Fault struct {
	Kind           string  `json:"kind"`
	VPG            string  `json:"vpg,omitempty"`
	VM             string  `json:"vm,omitempty"`
	VRA            string  `json:"vra,omitempty"`
	PeerSite       string  `json:"peer_site,omitempty"`
	RPOSeconds     int     `json:"rpo_seconds,omitempty"`
	HistoryMinutes int     `json:"history_minutes,omitempty"`
	Ratio          float64 `json:"ratio,omitempty"`
	Level          string  `json:"level,omitempty"`
	Entity         string  `json:"entity,omitempty"`
	HelpID         string  `json:"help_id,omitempty"`
	Description    string  `json:"description,omitempty"`
	Type           string  `json:"type,omitempty"`
	RTOSeconds     int     `json:"rto_seconds,omitempty"`
	Result         string  `json:"result,omitempty"`
	Endpoint       string  `json:"endpoint,omitempty"`
	Status         int     `json:"status,omitempty"`
	Count          int     `json:"count,omitempty"`
	MS             int     `json:"ms,omitempty"`
	Site           string  `json:"site,omitempty"`
	Seconds        int     `json:"seconds,omitempty"`
	Repository     string  `json:"repository,omitempty"`
	Percent        float64 `json:"percent,omitempty"`
	MB             int     `json:"mb,omitempty"`
	Shape          string  `json:"shape,omitempty"`
	// Field, Value and Match are the set fault's: the member path (dotted, names ignoring case),
	// the JSON value (null when absent) and the elements it applies to ("Member=value", all
	// when empty).
	Field string          `json:"field,omitempty"`
	Value json.RawMessage `json:"value,omitempty"`
	Match string          `json:"match,omitempty"`
}

// Fault kinds.
const (
	KindRPOBreach         = "rpo_breach"
	KindHistoryShortfall  = "history_shortfall"
	KindJournalFill       = "journal_fill"
	KindVRADown           = "vra_down"
	KindUnpair            = "unpair"
	KindZertoAlert        = "zerto_alert"
	KindRecoveryReport    = "recovery_report"
	KindHTTPError         = "http_error"
	KindLatency           = "latency"
	KindMalformed         = "malformed"
	KindHugeBody          = "huge_body"
	KindExpireCredentials = "expire_credentials" //nolint:gosec // a fault name, not a credential
	KindDown              = "down"
	KindScratchFill       = "scratch_fill"
	KindClockSkew         = "clock_skew"
	KindVPGSubStatus      = "vpg_substatus"
	// Zerto 10 cyber resilience (appliance only): encryption.go, ejc.go.
	KindEncryptionSuspected = "encryption_suspected"
	KindEJCFailure          = "ejc_failure"
	KindRepositoryFull      = "repository_full"
	// KindSet sets a member of an endpoint's objects to a value (set.go).
	KindSet = "set"
)

// lookupKind finds a fault kind by name.
func lookupKind(name string) (faultKind, bool) {
	for _, k := range faultKinds {
		if k.name == name {
			return k, true
		}
	}
	return faultKind{}, false
}

// kindNames lists the fault kinds' names, sorted, for error messages.
func kindNames() string {
	names := make([]string, 0, len(faultKinds))
	for _, k := range faultKinds {
		names = append(names, k.name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// ActiveFault is an injected fault, as GET /_sim/faults lists it, until it
// is cleared or runs out.
type ActiveFault struct {
	ID      string    `json:"id"`
	Fault   Fault     `json:"fault"`
	Created time.Time `json:"created"`
	// Remaining counts the requests an http_error or malformed fault still
	// affects; 0 means until cleared.
	Remaining int `json:"remaining,omitempty"`
	alertID   string
}

// degradation is a VPG that lost replication (VRA down, peer unpaired).
type degradation struct {
	since     time.Time
	subStatus int
}

// effects is what the active model faults change, derived from the fault
// list by recompute so that clearing a fault simply drops its effect.
type effects struct {
	rpo         map[int]int
	history     map[int]int
	journal     map[int]float64 // row → ratio of its hard limit
	journalWarn map[int]bool    // VPGs whose journal passed its warning threshold
	vraStatus   map[int]int
	degraded    map[int]degradation
	unpaired    bool
	lastTest    map[int]time.Time
	scratch     map[int]float64  // VPG → ratio its scratch volumes are full
	clockSkew   [2]time.Duration // per site, how far its clock is ahead
	alerts      []alert
	net         []*ActiveFault // http_error, latency, malformed, huge_body
	cyber       cyberEffects
}

// validate checks a fault against the model and fills in its defaults. It
// does not look at endpoints and sites, which the Sim checks.
func (m *model) validate(f Fault) (Fault, error) {
	vpgIdx := func() (int, error) {
		if f.VPG == "" {
			return 0, fmt.Errorf("%s needs a vpg", f.Kind)
		}
		i, ok := m.vpgByName(f.VPG)
		if !ok {
			return 0, fmt.Errorf("unknown VPG %q", f.VPG)
		}
		return i, nil
	}
	switch f.Kind {
	case KindRPOBreach:
		i, err := vpgIdx()
		if err != nil {
			return f, err
		}
		if f.RPOSeconds < 0 {
			return f, fmt.Errorf("rpo_seconds %d is negative", f.RPOSeconds)
		}
		if f.RPOSeconds == 0 {
			f.RPOSeconds = 4 * m.vpgs[i].rpoTarget
		}
	case KindHistoryShortfall:
		i, err := vpgIdx()
		if err != nil {
			return f, err
		}
		if f.HistoryMinutes < 0 {
			return f, fmt.Errorf("history_minutes %d is negative", f.HistoryMinutes)
		}
		if f.HistoryMinutes == 0 {
			f.HistoryMinutes = m.vpgs[i].historyMin / 3
		}
	case KindJournalFill:
		if len(m.rowsOfVM(f.VM)) == 0 {
			return f, fmt.Errorf("unknown VM %q", f.VM)
		}
		if f.Ratio <= 0 || f.Ratio > 1 {
			return f, fmt.Errorf("ratio %v is outside (0, 1]", f.Ratio)
		}
	case KindVRADown:
		if _, ok := m.vraByName(f.VRA); !ok {
			return f, fmt.Errorf("unknown VRA %q", f.VRA)
		}
		if f.Status == 0 {
			f.Status = vraNotInstalled
		}
		if f.Status < 1 || f.Status >= len(vraStatusNames) {
			return f, fmt.Errorf("VRA status %d is not a failed VRA status (1-%d)", f.Status, len(vraStatusNames)-1)
		}
	case KindUnpair:
		if !strings.EqualFold(f.PeerSite, m.sites[Protected].name) && !strings.EqualFold(f.PeerSite, m.sites[Recovery].name) {
			return f, fmt.Errorf("unknown peer site %q (want %q or %q)", f.PeerSite, m.sites[Recovery].name, m.sites[Protected].name)
		}
	case KindZertoAlert:
		var ok bool
		if f.Level, ok = canonical(alertLevelNames, f.Level); !ok {
			return f, fmt.Errorf("unknown alert level %q (want %s)", f.Level, strings.Join(alertLevelNames, " or "))
		}
		if f.Entity, ok = canonical(alertEntityNames, f.Entity); !ok {
			return f, fmt.Errorf("unknown alert entity %q (want one of %s)", f.Entity, strings.Join(alertEntityNames, ", "))
		}
		if f.HelpID == "" {
			return f, fmt.Errorf("zerto_alert needs a help_id")
		}
		if f.VPG != "" {
			if _, err := vpgIdx(); err != nil {
				return f, err
			}
		}
		if f.Description == "" {
			f.Description = "Simulated alert " + f.HelpID
		}
	case KindRecoveryReport:
		if _, err := vpgIdx(); err != nil {
			return f, err
		}
		var ok bool
		if f.Type == "" {
			f.Type = "FailoverTest"
		}
		if f.Type, ok = canonical(recoveryTypes, f.Type); !ok {
			return f, fmt.Errorf("unknown recovery type %q (want %s)", f.Type, strings.Join(recoveryTypes, ", "))
		}
		if f.Result == "" {
			f.Result = "Success"
		}
		if f.Result, ok = canonical(recoveryResults, f.Result); !ok {
			return f, fmt.Errorf("unknown result %q (want Success or Fail)", f.Result)
		}
		if f.RTOSeconds <= 0 {
			return f, fmt.Errorf("recovery_report needs a positive rto_seconds")
		}
	case KindHTTPError:
		if f.Status < 400 || f.Status > 599 {
			return f, fmt.Errorf("status %d is not an HTTP error status (400-599)", f.Status)
		}
		fallthrough
	case KindHugeBody:
		if f.MB == 0 {
			f.MB = 300
		}
		if f.MB < 0 || f.MB > maxHugeMB {
			return f, fmt.Errorf("mb %d is outside 1-%d", f.MB, maxHugeMB)
		}
		if f.Shape == "" {
			f.Shape = HugeSmallObjects
		}
		if !slices.Contains(hugeShapes, f.Shape) {
			return f, fmt.Errorf("unknown shape %q (want one of %s)", f.Shape, strings.Join(hugeShapes, ", "))
		}
		fallthrough
	case KindMalformed:
		if f.Count < 0 {
			return f, fmt.Errorf("count %d is negative", f.Count)
		}
		if f.Endpoint == "" {
			return f, fmt.Errorf("%s needs an endpoint", f.Kind)
		}
	case KindSet:
		if f.Endpoint == "" || f.Field == "" {
			return f, fmt.Errorf("%s needs an endpoint and a field", f.Kind)
		}
		if len(f.Value) == 0 {
			f.Value = json.RawMessage("null")
		}
		if !json.Valid(f.Value) {
			return f, fmt.Errorf("value %s is not JSON", f.Value)
		}
		if f.Match != "" && !strings.Contains(f.Match, "=") {
			return f, fmt.Errorf("match %q is not Member=value", f.Match)
		}
	case KindLatency:
		if f.MS <= 0 || f.MS > 600_000 {
			return f, fmt.Errorf("ms %d is outside 1-600000", f.MS)
		}
	case KindExpireCredentials:
	case KindDown:
		if f.Seconds < 0 {
			return f, fmt.Errorf("seconds %d is negative", f.Seconds)
		}
	case KindScratchFill:
		if _, err := vpgIdx(); err != nil {
			return f, err
		}
		if f.Percent <= 0 || f.Percent > 100 {
			return f, fmt.Errorf("percent %v is outside (0, 100]", f.Percent)
		}
	case KindVPGSubStatus:
		if _, err := vpgIdx(); err != nil {
			return f, err
		}
		if f.Status < 0 || f.Status >= len(vpgSubStatusNames) {
			return f, fmt.Errorf("sub-status %d is outside 0-%d", f.Status, len(vpgSubStatusNames)-1)
		}
	case KindClockSkew:
		if f.Seconds == 0 || f.Seconds < -maxClockSkew || f.Seconds > maxClockSkew {
			return f, fmt.Errorf("seconds %d is outside ±1-%d (how far the ZVM's clock is ahead; negative: behind)", f.Seconds, maxClockSkew)
		}
		if f.Site != "" {
			if _, err := parseRole(f.Site); err != nil {
				return f, err
			}
		}
	case KindEncryptionSuspected:
		return m.validateSuspicion(f)
	case KindEJCFailure, KindRepositoryFull:
		return m.validateEJC(f)
	default:
		return f, fmt.Errorf("unknown fault kind %q (want one of %s)", f.Kind, kindNames())
	}
	return f, nil
}

// maxClockSkew bounds a clock_skew fault: a year, in seconds.
const maxClockSkew = 366 * 24 * 3600

var (
	recoveryTypes   = []string{"Failover", "FailoverTest", "Move"}
	recoveryResults = []string{"Success", "Fail"}
)

// canonical finds s in names, ignoring case, and returns the listed spelling.
func canonical(names []string, s string) (string, bool) {
	i := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, s) })
	if i < 0 {
		return s, false
	}
	return names[i], true
}

// inject records a validated fault and applies it; uid identifies the alert
// or report the fault creates. The caller holds m.mu.
func (m *model) inject(f Fault, now time.Time, uid string) *ActiveFault {
	m.nextID++
	af := &ActiveFault{ID: fmt.Sprintf("f%d", m.nextID), Fault: f, Created: now, Remaining: f.Count, alertID: uid}
	if f.Kind == KindRecoveryReport {
		i, _ := m.vpgByName(f.VPG)
		m.reports = append(m.reports, report{id: uid, vpg: i, typ: f.Type,
			start: now.Add(-time.Duration(f.RTOSeconds) * time.Second), end: now, rto: f.RTOSeconds,
			success: f.Result == "Success", initiatedBy: DefaultUsername, faultID: af.ID})
	}
	m.faults = append(m.faults, af)
	m.recompute()
	for _, a := range m.fx.alerts {
		if a.id == uid {
			m.events = append(m.events, alertEvent(a, eventAlertTurnedOn, now))
		}
	}
	m.trim()
	return af
}

// remove drops the faults for which drop is true and undoes their effects.
// The caller holds m.mu.
func (m *model) remove(now time.Time, drop func(*ActiveFault) bool) []*ActiveFault {
	before := m.fx.alerts
	var removed []*ActiveFault
	m.faults = slices.DeleteFunc(m.faults, func(af *ActiveFault) bool {
		if drop(af) {
			removed = append(removed, af)
			return true
		}
		return false
	})
	if len(removed) == 0 {
		return nil
	}
	m.reports = slices.DeleteFunc(m.reports, func(r report) bool {
		return slices.ContainsFunc(removed, func(af *ActiveFault) bool { return af.ID == r.faultID })
	})
	m.recompute()
	for _, a := range before {
		if !slices.ContainsFunc(m.fx.alerts, func(b alert) bool { return b.id == a.id }) {
			m.events = append(m.events, alertEvent(a, eventAlertTurnedOff, now))
		}
	}
	m.trim()
	return removed
}

func alertEvent(a alert, typ int, now time.Time) event {
	vpg := -1
	if len(a.vpgs) > 0 {
		vpg = a.vpgs[0]
	}
	verb := map[int]string{eventAlertTurnedOn: "turned on", eventAlertTurnedOff: "turned off"}[typ]
	entity := eventEntitySite
	switch a.entity {
	case "Vpg":
		entity = eventEntityVPG
	case "Vra":
		entity = eventEntityVRA
	}
	return event{id: a.id + fmt.Sprintf("-%d", typ), typ: typ, entityType: entity, occurred: now,
		description: fmt.Sprintf("Alert %s %s: %s", a.helpID, verb, a.description), user: "System", vpg: vpg, ok: true}
}

// recompute derives the effects of the active faults.
func (m *model) recompute() {
	fx := effects{
		rpo: map[int]int{}, history: map[int]int{}, journal: map[int]float64{}, journalWarn: map[int]bool{},
		vraStatus: map[int]int{}, degraded: map[int]degradation{}, lastTest: map[int]time.Time{},
		scratch: map[int]float64{},
	}
	degrade := func(vpg int, since time.Time, sub int) {
		if d, ok := fx.degraded[vpg]; !ok || since.Before(d.since) {
			fx.degraded[vpg] = degradation{since: since, subStatus: sub}
		}
	}
	raise := func(af *ActiveFault, level, entity, helpID, desc string, role *Role, vpgs ...int) {
		fx.alerts = append(fx.alerts, alert{id: af.alertID, level: level, entity: entity, helpID: helpID,
			description: desc, turnedOn: af.Created, vpgs: vpgs, role: role})
	}
	for _, af := range m.faults {
		f := af.Fault
		vpg, _ := m.vpgByName(f.VPG)
		switch f.Kind {
		case KindRPOBreach:
			fx.rpo[vpg] = f.RPOSeconds
			if f.RPOSeconds > m.vpgs[vpg].rpoTarget {
				raise(af, "Error", "Vpg", "VPG0011", fmt.Sprintf("VPG %s: the target RPO of %d seconds is not met (actual RPO %d seconds).",
					m.vpgs[vpg].name, m.vpgs[vpg].rpoTarget, f.RPOSeconds), nil, vpg)
			}
		case KindHistoryShortfall:
			fx.history[vpg] = f.HistoryMinutes
			if f.HistoryMinutes < m.vpgs[vpg].historyMin {
				raise(af, "Warning", "Vpg", "VPG0009", fmt.Sprintf("VPG %s: the journal history of %d minutes is below the configured %d minutes.",
					m.vpgs[vpg].name, f.HistoryMinutes, m.vpgs[vpg].historyMin), nil, vpg)
			}
		case KindJournalFill:
			var vpgs []int
			for _, r := range m.rowsOfVM(f.VM) {
				row := &m.rows[r]
				fx.journal[r] = f.Ratio
				if f.Ratio*row.hard.resolveMB(row.provisionedMB) >= row.warn.resolveMB(row.provisionedMB) && row.warn.Type != limitUnlimited {
					fx.journalWarn[row.vpg] = true
					vpgs = append(vpgs, row.vpg)
				}
			}
			if len(vpgs) > 0 {
				raise(af, "Warning", "Vpg", "VPG0007", fmt.Sprintf("VM %s: the journal has reached its warning threshold.", f.VM), nil, vpgs...)
			}
		case KindVRADown:
			v, _ := m.vraByName(f.VRA)
			fx.vraStatus[v] = f.Status
			var vpgs []int
			for _, row := range m.rows {
				if row.protVRA == v || row.recVRA == v {
					if !slices.Contains(vpgs, row.vpg) {
						vpgs = append(vpgs, row.vpg)
					}
					degrade(row.vpg, af.Created, subError)
				}
			}
			role := m.vras[v].role
			raise(af, "Error", "Vra", "VRA0001", fmt.Sprintf("VRA %s on host %s is not reachable.", m.vras[v].name, m.vras[v].host), &role, vpgs...)
		case KindUnpair:
			fx.unpaired = true
			vpgs := make([]int, len(m.vpgs))
			for i := range m.vpgs {
				vpgs[i] = i
				degrade(i, af.Created, subDisconnectedFromPeer)
			}
			raise(af, "Error", "Zvm", "ZVM0002", fmt.Sprintf("The connection between sites %s and %s is lost.",
				m.sites[Protected].name, m.sites[Recovery].name), nil, vpgs...)
		case KindZertoAlert:
			var vpgs []int
			if f.VPG != "" {
				vpgs = []int{vpg}
			}
			raise(af, f.Level, f.Entity, f.HelpID, f.Description, nil, vpgs...)
		case KindRecoveryReport:
			if f.Type == "FailoverTest" && f.Result == "Success" && af.Created.After(fx.lastTest[vpg]) {
				fx.lastTest[vpg] = af.Created
			}
		case KindScratchFill:
			fx.scratch[vpg] = f.Percent / 100
		case KindVPGSubStatus:
			degrade(vpg, af.Created, f.Status)
		case KindClockSkew:
			for _, r := range []Role{Protected, Recovery} {
				if f.Site == "" || f.Site == r.String() {
					fx.clockSkew[r] += time.Duration(f.Seconds) * time.Second
				}
			}
		case KindHTTPError, KindLatency, KindMalformed, KindHugeBody, KindSet:
			fx.net = append(fx.net, af)
		case KindEncryptionSuspected, KindEJCFailure, KindRepositoryFull:
			fx.cyber.apply(m, af)
		}
	}
	m.fx = fx
	m.hasNet.Store(len(fx.net) > 0)
}
