package zvmsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// control serves the simulator's own API under /_sim/ on every listener.
// It needs no credential: it is for tests and demos, not part of Zerto.
func (s *Sim) control(w http.ResponseWriter, r *http.Request, path string) {
	switch {
	case path == "/_sim/state" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.State())
	case path == "/_sim/faults" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.State().Faults)
	case path == "/_sim/faults" && r.Method == http.MethodPost:
		f, err := decodeFault(r.Body)
		if err == nil {
			var id string
			if id, err = s.InjectFault(f); err == nil {
				writeJSON(w, http.StatusOK, map[string]string{"id": id})
				return
			}
		}
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
	case path == "/_sim/faults" && r.Method == http.MethodDelete:
		s.ClearFaults()
		writeJSON(w, http.StatusOK, map[string]string{"status": "cleared"})
	case strings.HasPrefix(path, "/_sim/faults/") && r.Method == http.MethodDelete:
		if err := s.RemoveFault(strings.TrimPrefix(path, "/_sim/faults/")); err != nil {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "cleared"})
	case path == "/_sim/ca.pem" && r.Method == http.MethodGet && s.caPEM != nil:
		w.Header().Set("Content-Type", "application/x-pem-file")
		w.Write(s.caPEM)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown control endpoint " + r.Method + " " + r.URL.Path +
			" (GET /_sim/state, GET|POST|DELETE /_sim/faults, DELETE /_sim/faults/{id}, GET /_sim/ca.pem)"})
	}
}

// decodeFault reads a POST /_sim/faults body, rejecting fields that the
// fault's kind does not take, so that a typo is an error and not a no-op.
func decodeFault(body io.Reader) (Fault, error) {
	var f Fault
	raw, err := io.ReadAll(io.LimitReader(body, 1<<16))
	if err != nil {
		return f, fmt.Errorf("read body: %w", err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return f, fmt.Errorf("body is not a JSON object: %w", err)
	}
	var kind string
	if err := json.Unmarshal(fields["kind"], &kind); err != nil || kind == "" {
		return f, fmt.Errorf(`body needs a "kind" string (one of %s)`, kindNames())
	}
	k, ok := lookupKind(kind)
	if !ok {
		return f, fmt.Errorf("unknown fault kind %q (want one of %s)", kind, kindNames())
	}
	for name := range fields {
		if name != "kind" && !slices.Contains(k.fields, name) {
			return f, fmt.Errorf("field %q does not apply to %s (it takes %s)", name, kind, strings.Join(k.fields, ", "))
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("bad field: %w", err)
	}
	return f, nil
}

// State is the simulator's truth at one instant, for tests to compare with
// what the exporter reports. GET /_sim/state serves it as JSON.
type State struct {
	Flavour       string                      `json:"flavour"`
	Now           time.Time                   `json:"now"`
	Started       time.Time                   `json:"started"`
	Sites         []SiteState                 `json:"sites"`
	VPGs          []VPGState                  `json:"vpgs"`
	VMs           []VMState                   `json:"vms"`
	VRAs          []VRAState                  `json:"vras"`
	Alerts        []AlertState                `json:"alerts"`
	Faults        []ActiveFault               `json:"faults"`
	RequestCounts map[string]map[string]int64 `json:"request_counts"`
	// UnknownPaths counts, per site, the requests to each path that is not a
	// ZVM endpoint, so that an endpoint a client expects shows up.
	UnknownPaths map[string]map[string]int64 `json:"unknown_paths"`
}

// SiteState is one ZVM of the pair.
type SiteState struct {
	Role       string `json:"role"`
	Identifier string `json:"identifier"`
	Name       string `json:"name"`
	URL        string `json:"url,omitempty"`
	Up         bool   `json:"up"`
	// PeerPairingStatus is the PairingStatus its /v1/peersites shows.
	PeerPairingStatus int `json:"peer_pairing_status"`
	// ClockSkewSeconds is how far its /v1/serverDateTime clock is ahead of Now.
	ClockSkewSeconds float64 `json:"clock_skew_seconds"`
	// UnprotectedVMs counts its /v1/virtualizationsites/{siteIdentifier}/vms.
	UnprotectedVMs int `json:"unprotected_vms"`
}

// VolumeSizes sums the /v1/volumes sizes of one type of a VPG, in bytes.
type VolumeSizes struct {
	UsedBytes        int64 `json:"used_bytes"`
	ProvisionedBytes int64 `json:"provisioned_bytes"`
}

// ServiceProfileState is a VPG's service profile and its targets, in seconds.
type ServiceProfileState struct {
	Name                string  `json:"name"`
	RPOSeconds          float64 `json:"rpo_seconds"`
	HistorySeconds      float64 `json:"history_seconds"`
	TestIntervalSeconds float64 `json:"test_interval_seconds"`
}

// VPGState is a VPG as both ZVMs report it.
type VPGState struct {
	Name                     string     `json:"name"`
	Identifier               string     `json:"identifier"`
	Status                   int        `json:"status"`
	StatusName               string     `json:"status_name"`
	SubStatus                int        `json:"substatus"`
	AlertStatus              int        `json:"alert_status"`
	ActualRPO                int        `json:"actual_rpo"`
	ConfiguredRPO            int        `json:"configured_rpo"`
	ActualHistoryMinutes     int        `json:"actual_history_minutes"`
	ConfiguredHistoryMinutes int        `json:"configured_history_minutes"`
	LastTest                 *time.Time `json:"last_test"`
	FailoverTestRunning      bool       `json:"failover_test_running"`
	VMs                      int        `json:"vms"`
	// EarliestCheckpoint is HistoryStatusApi.EarliestCheckpoint.TimeStamp at Now.
	EarliestCheckpoint time.Time `json:"earliest_checkpoint"`
	// FailSafeHistory is null when the VPG has no fail-safe history configured.
	FailSafeHistory    *FailSafeState `json:"failsafe_history"`
	ProgressPercentage float64        `json:"progress_percentage"`
	// JournalVolumes are on the recovery site's /v1/volumes; ScratchVolumes too, while the VPG
	// has any (null otherwise).
	JournalVolumes VolumeSizes  `json:"journal_volumes"`
	ScratchVolumes *VolumeSizes `json:"scratch_volumes"`
	// LatestCheckpoint and LatestTaggedCheckpoint are the newest checkpoint and the newest tagged
	// one of /v1/vpgs/{id}/checkpoints; null when the journal holds none.
	LatestCheckpoint       *time.Time `json:"latest_checkpoint"`
	LatestTaggedCheckpoint *time.Time `json:"latest_tagged_checkpoint"`
	// ServiceProfile is null when the VPG uses none.
	ServiceProfile *ServiceProfileState `json:"service_profile"`
}

// FailSafeState is a VPG's FailSafeHistory, in minutes.
type FailSafeState struct {
	ActualMinutes     int `json:"actual_minutes"`
	ConfiguredMinutes int `json:"configured_minutes"`
}

// VMState is one /v1/vms row (a VM in a VPG).
type VMState struct {
	Name          string `json:"name"`
	Identifier    string `json:"identifier"`
	VPG           string `json:"vpg"`
	ActualRPO     int    `json:"actual_rpo"`
	JournalUsedMB int64  `json:"journal_used_mb"`
	// Limits as sent ({LimitType, LimitValue}) and resolved to MB; the
	// resolved value is null for an unlimited journal.
	JournalHardLimit          JournalLimit `json:"journal_hard_limit"`
	JournalWarningThreshold   JournalLimit `json:"journal_warning_threshold"`
	JournalHardLimitMB        *float64     `json:"journal_hard_limit_mb"`
	JournalWarningThresholdMB *float64     `json:"journal_warning_threshold_mb"`
	ProtectedHost             string       `json:"protected_host"`
	RecoveryHost              string       `json:"recovery_host"`
	SourceVRA                 string       `json:"source_vra"`
	RecoveryVRA               string       `json:"recovery_vra"`
}

// VRAState is a VRA on one site.
type VRAState struct {
	Name       string `json:"name"`
	Identifier string `json:"identifier"`
	Site       string `json:"site"`
	Host       string `json:"host"`
	Status     int    `json:"status"`
	StatusName string `json:"status_name"`
	// AlertStatus is VraAlerts.VraAlertsStatus; CPUs (NumOfCpus) and UpgradeStatus are sent by
	// the appliance flavour only, and are null for the windows flavour.
	AlertStatus   int  `json:"alert_status"`
	CPUs          *int `json:"cpus"`
	UpgradeStatus *int `json:"upgrade_status"`
}

// AlertState is a Zerto alert; Site is empty when both ZVMs show it.
type AlertState struct {
	Identifier     string   `json:"identifier"`
	Level          string   `json:"level"`
	Entity         string   `json:"entity"`
	HelpIdentifier string   `json:"help_identifier"`
	Description    string   `json:"description"`
	Dismissed      bool     `json:"dismissed"`
	VPGs           []string `json:"vpgs"`
	Site           string   `json:"site,omitempty"`
}

// State returns the simulator's current truth.
func (s *Sim) State() State {
	now := s.opts.Clock()
	s.model.catchUp(now)
	st := State{Flavour: s.opts.Flavour, Now: now, Started: s.model.start,
		RequestCounts: map[string]map[string]int64{}, UnknownPaths: map[string]map[string]int64{}}
	for _, role := range []Role{Protected, Recovery} {
		st.RequestCounts[role.String()] = s.RequestCounts(role)
		st.UnknownPaths[role.String()] = s.UnknownPaths(role)
	}
	s.mu.Lock()
	for _, role := range []Role{Protected, Recovery} {
		site := &s.model.sites[role]
		ss := SiteState{Role: role.String(), Identifier: site.id, Name: site.name}
		if l := s.listeners[role]; l != nil {
			ss.Up = !l.down
		}
		st.Sites = append(st.Sites, ss)
	}
	s.mu.Unlock()
	for i := range st.Sites {
		st.Sites[i].URL = s.URL(Role(i))
	}

	m := s.model
	m.mu.RLock()
	defer m.mu.RUnlock()
	for i := range st.Sites {
		if m.fx.unpaired {
			st.Sites[i].PeerPairingStatus = pairingUnpairing
		}
		st.Sites[i].ClockSkewSeconds = m.fx.clockSkew[i].Seconds()
		st.Sites[i].UnprotectedVMs = len(m.unprotected[i])
	}
	lives := make([]vpgLive, len(m.vpgs))
	for i := range m.vpgs {
		p, l := &m.vpgs[i], m.liveVPG(i, now)
		lives[i] = l
		vs := VPGState{Name: p.name, Identifier: p.id, Status: l.status, StatusName: vpgStatusNames[l.status],
			SubStatus: l.subStatus, AlertStatus: l.alertStatus, ActualRPO: l.rpo, ConfiguredRPO: p.rpoTarget,
			ActualHistoryMinutes: l.historyMin, ConfiguredHistoryMinutes: p.historyMin,
			FailoverTestRunning: l.testRunning, VMs: len(p.rows),
			EarliestCheckpoint: l.earliestCheckpoint(now).UTC(), ProgressPercentage: l.progress}
		if p.failSafeMin > 0 {
			vs.FailSafeHistory = &FailSafeState{ActualMinutes: l.failSafeMin, ConfiguredMinutes: p.failSafeMin}
		}
		ratio, scratch := m.scratchRatio(i, now)
		if scratch {
			vs.ScratchVolumes = &VolumeSizes{}
		}
		for _, r := range p.rows {
			journal := m.journalUsedMB(r, now) * mib
			vs.JournalVolumes.UsedBytes += journal
			vs.JournalVolumes.ProvisionedBytes += journal
			if scratch {
				sz := m.scratchSize(r, ratio)
				vs.ScratchVolumes.UsedBytes += sz.UsedInBytes
				vs.ScratchVolumes.ProvisionedBytes += sz.ProvisionedInBytes
			}
		}
		if _, latest, ok := checkpointRange(&l, now); ok {
			vs.LatestCheckpoint = new(latest.UTC())
		}
		if t, ok := latestTagged(&l, now); ok {
			vs.LatestTaggedCheckpoint = new(t.UTC())
		}
		if sp := m.profileOf(i); sp != nil {
			vs.ServiceProfile = &ServiceProfileState{Name: sp.name, RPOSeconds: sp.rpo.Seconds(),
				HistorySeconds: sp.history.Seconds(), TestIntervalSeconds: sp.testInterval.Seconds()}
		}
		if !l.lastTest.IsZero() {
			vs.LastTest = new(l.lastTest.UTC())
		}
		st.VPGs = append(st.VPGs, vs)
	}
	resolved := func(l JournalLimit, provisionedMB int64) *float64 {
		if l.Type == limitUnlimited {
			return nil
		}
		return new(l.resolveMB(provisionedMB))
	}
	for r := range m.rows {
		row := &m.rows[r]
		src, dst := &m.vras[row.protVRA], &m.vras[row.recVRA]
		st.VMs = append(st.VMs, VMState{Name: row.name, Identifier: row.vmID, VPG: m.vpgs[row.vpg].name,
			ActualRPO: lives[row.vpg].rpo, JournalUsedMB: m.journalUsedMB(r, now),
			JournalHardLimit: row.hard, JournalWarningThreshold: row.warn,
			JournalHardLimitMB: resolved(row.hard, row.provisionedMB), JournalWarningThresholdMB: resolved(row.warn, row.provisionedMB),
			ProtectedHost: src.host, RecoveryHost: dst.host, SourceVRA: src.name, RecoveryVRA: dst.name})
	}
	for i := range m.vras {
		a := &m.vras[i]
		status, down := m.fx.vraStatus[i]
		vs := VRAState{Name: a.name, Identifier: fmt.Sprint(a.id), Site: a.role.String(),
			Host: a.host, Status: status, StatusName: vraStatusNames[status]}
		if down {
			vs.AlertStatus = alertError
		}
		if s.opts.Flavour != FlavourWindows {
			vs.CPUs, vs.UpgradeStatus = new(a.cpus), new(vraUpgradeLatest)
		}
		st.VRAs = append(st.VRAs, vs)
	}
	for _, a := range m.allAlerts() {
		as := AlertState{Identifier: a.id, Level: a.level, Entity: a.entity, HelpIdentifier: a.helpID,
			Description: a.description, Dismissed: a.dismissed, VPGs: []string{}}
		for _, i := range a.vpgs {
			as.VPGs = append(as.VPGs, m.vpgs[i].name)
		}
		if a.role != nil {
			as.Site = a.role.String()
		}
		st.Alerts = append(st.Alerts, as)
	}
	st.Faults = []ActiveFault{}
	for _, af := range m.faults {
		st.Faults = append(st.Faults, *af)
	}
	return st
}
