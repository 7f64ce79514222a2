package zvmsim

import (
	"fmt"
	"math"
	"net/url"
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
	ejcFailed map[int]time.Time // VPG → when its copies started failing
	repoUsed  map[int]float64   // repository → used percent of its capacity
}

// apply records the effect of one cyber fault.
func (c *cyberEffects) apply(m *model, af *ActiveFault) {
	if c.suspected == nil {
		*c = cyberEffects{suspected: map[int]int{}, ejcFailed: map[int]time.Time{}, repoUsed: map[int]float64{}}
	}
	f := af.Fault
	switch f.Kind {
	case KindEncryptionSuspected:
		i, _ := m.vpgByName(f.VPG)
		l, _ := strconv.Atoi(f.Level)
		c.suspected[i] = max(c.suspected[i], l)
	case KindEJCFailure:
		i, _ := m.vpgByName(f.VPG)
		if t, ok := c.ejcFailed[i]; !ok || af.Created.Before(t) {
			c.ejcFailed[i] = af.Created
		}
	case KindRepositoryFull:
		r, _ := repositoryByName(f.Repository)
		c.repoUsed[r] = f.Percent
	}
}

// ejcRunOffset is when the daily copy starts, after midnight UTC.
const ejcRunOffset = time.Hour

// ejcRetentionSets is how many daily retention sets a VPG keeps.
const ejcRetentionSets = 7

// repository is an Extended Journal Copy repository. Secrets are what the ZVM
// sends in the clear in /v1/ltr/repositories; the exporter must drop them.
type repository struct {
	id, name       string
	storageType    int
	connectionType int
	capacityGB     int64 // 0: the ZVM reports no capacity (cloud storage)
	usedPct        float64
	immutableDays  int // 0: not immutable
	kind           string
}

// Repository kinds: which storage object of RepositoriesSettingsApi is set.
const (
	repoS3Compatible = "s3-compatible"
	repoSMB          = "smb"
	repoAzure        = "azure"
)

// repositories is the pair's repositories, the same in every profile.
var repositories = []repository{
	{id: "5e1c3f0a-7b2d-4c61-9a0e-1d2f3a4b5c01", name: "ejc-minio-immutable", storageType: 9, connectionType: 4,
		capacityGB: 51200, usedPct: 38, immutableDays: 30, kind: repoS3Compatible},
	{id: "5e1c3f0a-7b2d-4c61-9a0e-1d2f3a4b5c02", name: "ejc-nas-smb", storageType: 1, connectionType: 0,
		capacityGB: 20480, usedPct: 61, kind: repoSMB},
	{id: "5e1c3f0a-7b2d-4c61-9a0e-1d2f3a4b5c03", name: "ejc-azure-archive", storageType: 3, connectionType: 2,
		usedPct: 0, kind: repoAzure},
}

// Storage secrets the simulator sends, so that tests can prove the exporter
// never keeps them. They are fakes, not credentials of anything.
//
//nolint:gosec // G101: fake secrets, sent on purpose.
const (
	SimS3SecretKey  = "sim-s3-secret-key-DO-NOT-EXPORT"
	SimSMBPassword  = "sim-smb-password-DO-NOT-EXPORT"
	SimAzureAppKey  = "sim-azure-app-key-DO-NOT-EXPORT"
	simS3AccessKey  = "SIMACCESSKEY0001"
	simAzureAppID   = "0d3f5a1c-0000-4000-8000-000000000001"
	simAzureAccount = "zertoejcarchive"
)

func repositoryByName(name string) (int, bool) {
	for i := range repositories {
		if strings.EqualFold(repositories[i].name, name) {
			return i, true
		}
	}
	return 0, false
}

// ejcRepository returns the repository of VPG i, or false when the VPG has
// no Extended Journal Copy.
func (m *model) ejcRepository(i int) (int, bool) {
	if i%3 != 0 || i == len(m.vpgs)-1 {
		return 0, false
	}
	return (i / 3) % len(repositories), true
}

func (m *model) validateEJC(f Fault) (Fault, error) {
	switch f.Kind {
	case KindEJCFailure:
		if f.VPG == "" {
			return f, fmt.Errorf("%s needs a vpg", f.Kind)
		}
		i, ok := m.vpgByName(f.VPG)
		if !ok {
			return f, fmt.Errorf("unknown VPG %q", f.VPG)
		}
		if _, ok := m.ejcRepository(i); !ok {
			var names []string
			for j := range m.vpgs {
				if _, ok := m.ejcRepository(j); ok {
					names = append(names, m.vpgs[j].name)
				}
			}
			return f, fmt.Errorf("VPG %q has no Extended Journal Copy (these have: %s)", f.VPG, strings.Join(names, ", "))
		}
	case KindRepositoryFull:
		r, ok := repositoryByName(f.Repository)
		if !ok {
			names := make([]string, len(repositories))
			for i := range repositories {
				names[i] = repositories[i].name
			}
			return f, fmt.Errorf("unknown repository %q (want one of %s)", f.Repository, strings.Join(names, ", "))
		}
		if repositories[r].capacityGB == 0 {
			return f, fmt.Errorf("repository %q reports no capacity; it cannot fill", f.Repository)
		}
		if f.Percent <= 0 || f.Percent > 100 {
			return f, fmt.Errorf("percent %v is outside (0, 100]", f.Percent)
		}
	}
	return f, nil
}

type wireRetentionPeriod struct {
	Active                        bool    `json:"Active"`
	BackupMethod                  int     `json:"BackupMethod"`
	BackupStartTimeOfDayInMinutes int     `json:"BackupStartTimeOfDayInMinutes"`
	ExpireAfterUnit               int     `json:"ExpireAfterUnit"`
	ExpireAfterValue              float64 `json:"ExpireAfterValue"`
	PeriodType                    int     `json:"PeriodType"`
}

type wireLtrAlertTip struct {
	AlertLevel  int    `json:"AlertLevel"`
	Description string `json:"Description"`
	Id          string `json:"Id"`
	SiteName    string `json:"SiteName"`
	StartTime   string `json:"StartTime"`
}

type wireLtrAlertTips struct {
	Alerts                []wireLtrAlertTip `json:"Alerts"`
	HasMore               bool              `json:"HasMore"`
	TotalNumberOfAlerts   int               `json:"TotalNumberOfAlerts"`
	TotalNumberOfErrors   int               `json:"TotalNumberOfErrors"`
	TotalNumberOfWarnings int               `json:"TotalNumberOfWarnings"`
}

type wireLtrVpgHealth struct {
	AlertStatus           int              `json:"AlertStatus"`
	AlertTips             wireLtrAlertTips `json:"AlertTips"`
	DateOfLastRun         string           `json:"DateOfLastRun"`
	IsAbortBackupEnabled  bool             `json:"IsAbortBackupEnabled"`
	IsBackupEnabled       bool             `json:"IsBackupEnabled"`
	IsFailoverEnabled     bool             `json:"IsFailoverEnabled"`
	IsFailoverTestEnabled bool             `json:"IsFailoverTestEnabled"`
	IsMoveEnabled         bool             `json:"IsMoveEnabled"`
	IsUpdateEnabled       bool             `json:"IsUpdateEnabled"`
	CompressionSettings   struct {
		CompressionLevel int `json:"CompressionLevel"`
	} `json:"CompressionSettings"`
	ManageRetentionSetsAvailability struct {
		DisableReasonText *string `json:"DisableReasonText"`
		IsEnabled         bool    `json:"IsEnabled"`
	} `json:"ManageRetentionSetsAvailability"`
	LtrVpgStatus                   int                `json:"LtrVpgStatus"`
	Policy                         string             `json:"Policy"`
	RecoverySiteName               string             `json:"RecoverySiteName"`
	RepositoryId                   string             `json:"RepositoryId"`
	RepositoryName                 string             `json:"RepositoryName"`
	RetentionPolicyLatestChanged   string             `json:"RetentionPolicyLatestChanged"`
	SchedulingAndRetentionSettings map[string]any     `json:"SchedulingAndRetentionSettings"`
	SuccessRate                    wireLtrSuccessRate `json:"SuccessRate"`
	SuccessRatePotentialImpact     map[string]bool    `json:"SuccessRatePotentialImpact"`
	TimeOfLastSuccessfulRun        string             `json:"TimeOfLastSuccessfulRun"`
	VmsInVpg                       int                `json:"VmsInVpg"`
	VpgId                          string             `json:"VpgId"`
	VpgName                        string             `json:"VpgName"`
	ZorgName                       *string            `json:"ZorgName"`
}

type wireLtrSuccessRate struct {
	ActualSuccessfulRetentionSets int `json:"ActualSuccessfulRetentionSets"`
	ExpectedRetentionSets         int `json:"ExpectedRetentionSets"`
}

// LtrVpgStatus codes the simulator sends: 0 while the copies succeed, 2 once
// one failed (the spec lists 0, 1, 2 without names).
const (
	ltrStatusHealthy = 0
	ltrStatusFailed  = 2
)

// lastEJCRun is the latest scheduled daily run at or before t.
func lastEJCRun(t time.Time) time.Time {
	run := t.UTC().Truncate(24 * time.Hour).Add(ejcRunOffset)
	if run.After(t) {
		run = run.Add(-24 * time.Hour)
	}
	return run
}

func (v *view) ltrHealth() error {
	type health struct {
		Vpgs []wireLtrVpgHealth `json:"Vpgs"`
	}
	out := health{Vpgs: []wireLtrVpgHealth{}}
	daily := wireRetentionPeriod{Active: true, BackupStartTimeOfDayInMinutes: int(ejcRunOffset / time.Minute),
		ExpireAfterUnit: 0, ExpireAfterValue: ejcRetentionSets}
	for i := range v.m.vpgs {
		r, ok := v.m.ejcRepository(i)
		if !ok {
			continue
		}
		p, repo := &v.m.vpgs[i], &repositories[r]
		lastRun := lastEJCRun(v.now)
		w := wireLtrVpgHealth{
			DateOfLastRun: isoTime(lastRun), IsBackupEnabled: true, LtrVpgStatus: ltrStatusHealthy,
			Policy: "Daily", RecoverySiteName: v.m.sites[Recovery].name, RepositoryId: repo.id, RepositoryName: repo.name,
			RetentionPolicyLatestChanged: isoTime(p.created),
			SchedulingAndRetentionSettings: map[string]any{"DailySettings": map[string]any{"DailyPeriod": daily},
				// Only the daily copy is scheduled; the others are inactive.
				"WeeklySettings":  map[string]any{"DayOfWeek": 0, "WeeklyPeriod": wireRetentionPeriod{PeriodType: 1}},
				"MonthlySettings": map[string]any{"DayOfMonth": 1, "DayOfWeek": 0, "MonthlyPeriod": wireRetentionPeriod{PeriodType: 2}, "TriggerType": 0, "WeekOfMonth": 1},
				"YearlySettings": map[string]any{"Day": 1, "DayOfWeek": 0, "Month": 1, "TriggerType": 0, "WeekOfYear": 1,
					"YearlyPeriod": wireRetentionPeriod{PeriodType: 3}}},
			IsFailoverEnabled: true, IsFailoverTestEnabled: true, IsMoveEnabled: true, IsUpdateEnabled: true,
			SuccessRate:                wireLtrSuccessRate{ActualSuccessfulRetentionSets: ejcRetentionSets, ExpectedRetentionSets: ejcRetentionSets},
			SuccessRatePotentialImpact: map[string]bool{"IsSuccessRateInfluencedByManualDeletion": false},
			TimeOfLastSuccessfulRun:    isoTime(lastRun),
			AlertTips:                  wireLtrAlertTips{Alerts: []wireLtrAlertTip{}},
			VmsInVpg:                   len(p.rows), VpgId: p.id, VpgName: p.name,
		}
		w.ManageRetentionSetsAvailability.IsEnabled = true
		if since, failed := v.m.fx.cyber.ejcFailed[i]; failed {
			// The run that failed is the fault itself, or each scheduled run since.
			lastSuccess := lastEJCRun(since)
			if lastRun.Before(since) {
				lastRun = since
			}
			missed := min(ejcRetentionSets, 1+int(lastRun.Sub(lastSuccess)/(24*time.Hour)))
			w.DateOfLastRun, w.TimeOfLastSuccessfulRun = isoTime(lastRun), isoTime(lastSuccess)
			w.LtrVpgStatus, w.AlertStatus = ltrStatusFailed, alertError
			w.SuccessRate.ActualSuccessfulRetentionSets = ejcRetentionSets - missed
			w.AlertTips = wireLtrAlertTips{TotalNumberOfAlerts: 1, TotalNumberOfErrors: 1, Alerts: []wireLtrAlertTip{{
				AlertLevel: 1, Description: fmt.Sprintf("Extended Journal Copy of VPG %s to repository %s failed.", p.name, repo.name),
				Id: "LTR0001", SiteName: v.m.sites[Recovery].name, StartTime: isoTime(since)}}}
		}
		out.Vpgs = append(out.Vpgs, w)
	}
	return v.out.value(out)
}

// The storage objects of RepositoriesSettingsApi; only the one of the
// repository's kind is set, the others are null.
type wireS3Compatible struct {
	ImmutabilityDays   int    `json:"ImmutabilityDays"`
	ImmutabilityPolicy int    `json:"ImmutabilityPolicy"`
	IsImmutable        bool   `json:"IsImmutable"`
	Path               string `json:"Path"`
	S3AccessKey        string `json:"S3AccessKey"`
	S3BucketName       string `json:"S3BucketName"`
	S3EndpointUrl      string `json:"S3EndpointUrl"`
	S3Region           string `json:"S3Region"`
	S3SecretKey        string `json:"S3SecretKey"`
}

type wireSMB struct {
	Password string `json:"Password"`
	Path     string `json:"Path"`
	UserName string `json:"UserName"`
}

type wireAzure struct {
	AzureAppId       string `json:"AzureAppId"`
	AzureAppKey      string `json:"AzureAppKey"`
	AzureCloud       int    `json:"AzureCloud"`
	AzureSa          string `json:"AzureSa"`
	AzureTenantId    string `json:"AzureTenantId"`
	ImmutabilityDays int    `json:"ImmutabilityDays"`
	IsArchiveTiering bool   `json:"IsArchiveTiering"`
	IsImmutable      bool   `json:"IsImmutable"`
	Path             string `json:"Path"`
}

type wireRepositoryState struct {
	AllocatedSpaceInGB *int64 `json:"AllocatedSpaceInGB"`
	AvailableSpaceInGB *int64 `json:"AvailableSpaceInGB"`
	UsedSpaceInGB      *int64 `json:"UsedSpaceInGB"`
}

type wireRepository struct {
	Azure                *wireAzure          `json:"Azure"`
	Catalyst             *struct{}           `json:"Catalyst"`
	ConnectionType       int                 `json:"ConnectionType"`
	DefaultRepository    bool                `json:"DefaultRepository"`
	FreeCapacityGB       *int64              `json:"FreeCapacityGB"`
	IsIndexRepository    bool                `json:"IsIndexRepository"`
	Nfs                  *struct{}           `json:"Nfs"`
	RepositoryIdentifier string              `json:"RepositoryIdentifier"`
	RepositoryName       string              `json:"RepositoryName"`
	RepositoryState      wireRepositoryState `json:"RepositoryState"`
	S3                   *struct{}           `json:"S3"`
	S3Compatible         *wireS3Compatible   `json:"S3-Compatible"`
	Smb                  *wireSMB            `json:"Smb"`
	StorageType          int                 `json:"StorageType"`
	TotalCapacityGB      *int64              `json:"TotalCapacityGB"`
	UsedCapacityGB       *int64              `json:"UsedCapacityGB"`
}

// repositoryUsedGB is how much of repository r is used at the view's
// instant: its share grows slowly through the day as the copies land.
func (v *view) repositoryUsedGB(r int) int64 {
	repo := &repositories[r]
	pct, full := v.m.fx.cyber.repoUsed[r]
	if !full {
		pct = repo.usedPct + 0.5*wave(v.m.elapsed(v.now), 3600, float64(r))
	}
	return int64(math.Round(float64(repo.capacityGB) * pct / 100))
}

// repositoryFilter: connectionType (the code /v1/ltr/repositories sends) and repositoryName.
func (v *view) repositoryFilter(q url.Values) (func(int) bool, error) {
	c := textConds(nil, q, []textFilter{{"repositoryName", func(r int) string { return repositories[r].name }}})
	if s := queryValue(q, "connectionType"); s != "" {
		want, err := strconv.Atoi(s)
		if err != nil {
			return nil, badRequestf("connectionType %q is not a number", s)
		}
		c = append(c, func(r int) bool { return repositories[r].connectionType == want })
	}
	return c.pick(), nil
}

func (v *view) ltrRepositories() error {
	v.out.open()
	for r := range repositories {
		if !v.keep(r) {
			continue
		}
		repo := &repositories[r]
		w := wireRepository{ConnectionType: repo.connectionType, DefaultRepository: r == 0, RepositoryIdentifier: repo.id,
			RepositoryName: repo.name, StorageType: repo.storageType}
		if repo.capacityGB > 0 {
			used := v.repositoryUsedGB(r)
			w.TotalCapacityGB, w.UsedCapacityGB, w.FreeCapacityGB = new(repo.capacityGB), new(used), new(repo.capacityGB-used)
			w.RepositoryState = wireRepositoryState{AllocatedSpaceInGB: new(repo.capacityGB), AvailableSpaceInGB: new(repo.capacityGB - used), UsedSpaceInGB: new(used)}
		}
		switch repo.kind {
		case repoS3Compatible:
			w.S3Compatible = &wireS3Compatible{ImmutabilityDays: repo.immutableDays, ImmutabilityPolicy: 1, IsImmutable: repo.immutableDays > 0,
				Path: "zerto/ejc", S3AccessKey: simS3AccessKey, S3BucketName: "zerto-ejc", S3EndpointUrl: "https://minio.den.example.com:9000",
				S3Region: "us-east-1", S3SecretKey: SimS3SecretKey}
		case repoSMB:
			w.Smb = &wireSMB{Password: SimSMBPassword, Path: `\\nas-den-01\zerto-ejc`, UserName: `DEN\svc-zerto-ejc`}
		case repoAzure:
			w.Azure = &wireAzure{AzureAppId: simAzureAppID, AzureAppKey: SimAzureAppKey, AzureSa: simAzureAccount,
				AzureTenantId: "0d3f5a1c-0000-4000-8000-000000000002", IsArchiveTiering: true, Path: "ejc"}
		}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}
