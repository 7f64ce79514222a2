package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Extended Journal Copy (Zerto 10, appliance only): /v1/ltr/health/vpgs and
// /v1/ltr/repositories. Every third VPG (never the initialising one) copies
// its journal daily to one of the site pair's repositories and keeps a week
// of daily retention sets.

// cyberEffects is what the encryption_suspected, ejc_failure and
// repository_full faults change.
type cyberEffects struct {
	suspected map[int]int       // VPG → suspicion level
	EJCFailed map[int]time.Time // VPG → when its copies started failing
	RepoUsed  map[int]float64   // repository → used percent of its capacity
}

// apply records the effect of one cyber fault.
func (c *cyberEffects) apply(m *Model, af *ActiveFault) {
	if c.suspected == nil {
		*c = cyberEffects{suspected: map[int]int{}, EJCFailed: map[int]time.Time{}, RepoUsed: map[int]float64{}}
	}
	f := af.Fault
	switch f.Kind {
	case KindEncryptionSuspected:
		i, _ := m.vpgByName(f.VPG)
		l, _ := strconv.Atoi(f.Level)
		c.suspected[i] = max(c.suspected[i], l)
	case KindEJCFailure:
		i, _ := m.vpgByName(f.VPG)
		if t, ok := c.EJCFailed[i]; !ok || af.Created.Before(t) {
			c.EJCFailed[i] = af.Created
		}
	case KindRepositoryFull:
		r, _ := repositoryByName(f.Repository)
		c.RepoUsed[r] = f.Percent
	}
}

// EJCRunOffset is when the daily copy starts, after midnight UTC.
const EJCRunOffset = time.Hour

// EJCRetentionSets is how many daily retention sets a VPG keeps.
const EJCRetentionSets = 7

// repository is an Extended Journal Copy repository. Secrets are what the ZVM
// sends in the clear in /v1/ltr/repositories; the exporter must drop them.
type repository struct {
	ID, Name       string
	StorageType    int
	ConnectionType int
	CapacityGB     int64 // 0: the ZVM reports no capacity (cloud storage)
	UsedPct        float64
	ImmutableDays  int // 0: not immutable
	Kind           string
}

// Repository kinds: which storage object of RepositoriesSettingsApi is set.
const (
	RepoS3Compatible = "s3-compatible"
	RepoSMB          = "smb"
	RepoAzure        = "azure"
)

// Repositories is the pair's repositories, the same in every profile.
var Repositories = []repository{
	{ID: "5e1c3f0a-7b2d-4c61-9a0e-1d2f3a4b5c01", Name: "ejc-minio-immutable", StorageType: 9, ConnectionType: 4,
		CapacityGB: 51200, UsedPct: 38, ImmutableDays: 30, Kind: RepoS3Compatible},
	{ID: "5e1c3f0a-7b2d-4c61-9a0e-1d2f3a4b5c02", Name: "ejc-nas-smb", StorageType: 1, ConnectionType: 0,
		CapacityGB: 20480, UsedPct: 61, Kind: RepoSMB},
	{ID: "5e1c3f0a-7b2d-4c61-9a0e-1d2f3a4b5c03", Name: "ejc-azure-archive", StorageType: 3, ConnectionType: 2,
		UsedPct: 0, Kind: RepoAzure},
}

// Storage secrets the simulator sends, so that tests can prove the exporter
// never keeps them. They are fakes, not credentials of anything.
//
//nolint:gosec // G101: fake secrets, sent on purpose.
const (
	SimS3SecretKey  = "sim-s3-secret-key-DO-NOT-EXPORT"
	SimSMBPassword  = "sim-smb-password-DO-NOT-EXPORT"
	SimAzureAppKey  = "sim-azure-app-key-DO-NOT-EXPORT"
	SimS3AccessKey  = "SIMACCESSKEY0001"
	SimAzureAppID   = "0d3f5a1c-0000-4000-8000-000000000001"
	SimAzureAccount = "zertoejcarchive"
)

func repositoryByName(name string) (int, bool) {
	for i := range Repositories {
		if strings.EqualFold(Repositories[i].Name, name) {
			return i, true
		}
	}
	return 0, false
}

// EJCRepository returns the repository of VPG i, or false when the VPG has
// no Extended Journal Copy.
func (m *Model) EJCRepository(i int) (int, bool) {
	if i%3 != 0 || i == len(m.Vpgs)-1 {
		return 0, false
	}
	return (i / 3) % len(Repositories), true
}

func (m *Model) validateEJC(f Fault) (Fault, error) {
	switch f.Kind {
	case KindEJCFailure:
		if f.VPG == "" {
			return f, fmt.Errorf("%s needs a vpg", f.Kind)
		}
		i, ok := m.vpgByName(f.VPG)
		if !ok {
			return f, fmt.Errorf("unknown VPG %q", f.VPG)
		}
		if _, ok := m.EJCRepository(i); !ok {
			var names []string
			for j := range m.Vpgs {
				if _, ok := m.EJCRepository(j); ok {
					names = append(names, m.Vpgs[j].Name)
				}
			}
			return f, fmt.Errorf("VPG %q has no Extended Journal Copy (these have: %s)", f.VPG, strings.Join(names, ", "))
		}
	case KindRepositoryFull:
		r, ok := repositoryByName(f.Repository)
		if !ok {
			names := make([]string, len(Repositories))
			for i := range Repositories {
				names[i] = Repositories[i].Name
			}
			return f, fmt.Errorf("unknown repository %q (want one of %s)", f.Repository, strings.Join(names, ", "))
		}
		if Repositories[r].CapacityGB == 0 {
			return f, fmt.Errorf("repository %q reports no capacity; it cannot fill", f.Repository)
		}
		if f.Percent <= 0 || f.Percent > 100 {
			return f, fmt.Errorf("percent %v is outside (0, 100]", f.Percent)
		}
	}
	return f, nil
}

// LtrVpgStatus codes the simulator sends: 0 while the copies succeed, 2 once
// one failed (the spec lists 0, 1, 2 without names).
const (
	LTRStatusHealthy = 0
	LTRStatusFailed  = 2
)

// LastEJCRun is the latest scheduled daily run at or before t.
func LastEJCRun(t time.Time) time.Time {
	run := t.UTC().Truncate(24 * time.Hour).Add(EJCRunOffset)
	if run.After(t) {
		run = run.Add(-24 * time.Hour)
	}
	return run
}
