package zvmsim

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

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

func (v *view) ltrHealth() error {
	type health struct {
		Vpgs []wireLtrVpgHealth `json:"Vpgs"`
	}
	out := health{Vpgs: []wireLtrVpgHealth{}}
	daily := wireRetentionPeriod{Active: true, BackupStartTimeOfDayInMinutes: int(sim.EJCRunOffset / time.Minute),
		ExpireAfterUnit: 0, ExpireAfterValue: sim.EJCRetentionSets}
	for i := range v.m.Vpgs {
		r, ok := v.m.EJCRepository(i)
		if !ok {
			continue
		}
		p, repo := &v.m.Vpgs[i], &sim.Repositories[r]
		lastRun := sim.LastEJCRun(v.now)
		w := wireLtrVpgHealth{
			DateOfLastRun: isoTime(lastRun), IsBackupEnabled: true, LtrVpgStatus: sim.LTRStatusHealthy,
			Policy: "Daily", RecoverySiteName: v.m.Sites[sim.Recovery].Name, RepositoryId: repo.ID, RepositoryName: repo.Name,
			RetentionPolicyLatestChanged: isoTime(p.Created),
			SchedulingAndRetentionSettings: map[string]any{"DailySettings": map[string]any{"DailyPeriod": daily},
				// Only the daily copy is scheduled; the others are inactive.
				"WeeklySettings":  map[string]any{"DayOfWeek": 0, "WeeklyPeriod": wireRetentionPeriod{PeriodType: 1}},
				"MonthlySettings": map[string]any{"DayOfMonth": 1, "DayOfWeek": 0, "MonthlyPeriod": wireRetentionPeriod{PeriodType: 2}, "TriggerType": 0, "WeekOfMonth": 1},
				"YearlySettings": map[string]any{"Day": 1, "DayOfWeek": 0, "Month": 1, "TriggerType": 0, "WeekOfYear": 1,
					"YearlyPeriod": wireRetentionPeriod{PeriodType: 3}}},
			IsFailoverEnabled: true, IsFailoverTestEnabled: true, IsMoveEnabled: true, IsUpdateEnabled: true,
			SuccessRate:                wireLtrSuccessRate{ActualSuccessfulRetentionSets: sim.EJCRetentionSets, ExpectedRetentionSets: sim.EJCRetentionSets},
			SuccessRatePotentialImpact: map[string]bool{"IsSuccessRateInfluencedByManualDeletion": false},
			TimeOfLastSuccessfulRun:    isoTime(lastRun),
			AlertTips:                  wireLtrAlertTips{Alerts: []wireLtrAlertTip{}},
			VmsInVpg:                   len(p.Rows), VpgId: p.ID, VpgName: p.Name,
		}
		w.ManageRetentionSetsAvailability.IsEnabled = true
		if since, failed := v.m.Fx.Cyber.EJCFailed[i]; failed {
			// The run that failed is the fault itself, or each scheduled run since.
			lastSuccess := sim.LastEJCRun(since)
			if lastRun.Before(since) {
				lastRun = since
			}
			missed := min(sim.EJCRetentionSets, 1+int(lastRun.Sub(lastSuccess)/(24*time.Hour)))
			w.DateOfLastRun, w.TimeOfLastSuccessfulRun = isoTime(lastRun), isoTime(lastSuccess)
			w.LtrVpgStatus, w.AlertStatus = sim.LTRStatusFailed, sim.AlertError
			w.SuccessRate.ActualSuccessfulRetentionSets = sim.EJCRetentionSets - missed
			w.AlertTips = wireLtrAlertTips{TotalNumberOfAlerts: 1, TotalNumberOfErrors: 1, Alerts: []wireLtrAlertTip{{
				AlertLevel: 1, Description: fmt.Sprintf("Extended Journal Copy of VPG %s to repository %s failed.", p.Name, repo.Name),
				Id: "LTR0001", SiteName: v.m.Sites[sim.Recovery].Name, StartTime: isoTime(since)}}}
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
	repo := &sim.Repositories[r]
	pct, full := v.m.Fx.Cyber.RepoUsed[r]
	if !full {
		pct = repo.UsedPct + 0.5*sim.Wave(v.m.Elapsed(v.now), 3600, float64(r))
	}
	return int64(math.Round(float64(repo.CapacityGB) * pct / 100))
}

// repositoryFilter: connectionType (the code /v1/ltr/repositories sends) and repositoryName.
func (v *view) repositoryFilter(q url.Values) (func(int) bool, error) {
	c := textConds(nil, q, []textFilter{{"repositoryName", func(r int) string { return sim.Repositories[r].Name }}})
	if s := queryValue(q, "connectionType"); s != "" {
		want, err := strconv.Atoi(s)
		if err != nil {
			return nil, badRequestf("connectionType %q is not a number", s)
		}
		c = append(c, func(r int) bool { return sim.Repositories[r].ConnectionType == want })
	}
	return c.pick(), nil
}

func (v *view) ltrRepositories() error {
	v.out.open()
	for r := range sim.Repositories {
		if !v.keep(r) {
			continue
		}
		repo := &sim.Repositories[r]
		w := wireRepository{ConnectionType: repo.ConnectionType, DefaultRepository: r == 0, RepositoryIdentifier: repo.ID,
			RepositoryName: repo.Name, StorageType: repo.StorageType}
		if repo.CapacityGB > 0 {
			used := v.repositoryUsedGB(r)
			w.TotalCapacityGB, w.UsedCapacityGB, w.FreeCapacityGB = new(repo.CapacityGB), new(used), new(repo.CapacityGB-used)
			w.RepositoryState = wireRepositoryState{AllocatedSpaceInGB: new(repo.CapacityGB), AvailableSpaceInGB: new(repo.CapacityGB - used), UsedSpaceInGB: new(used)}
		}
		switch repo.Kind {
		case sim.RepoS3Compatible:
			w.S3Compatible = &wireS3Compatible{ImmutabilityDays: repo.ImmutableDays, ImmutabilityPolicy: 1, IsImmutable: repo.ImmutableDays > 0,
				Path: "zerto/ejc", S3AccessKey: sim.SimS3AccessKey, S3BucketName: "zerto-ejc", S3EndpointUrl: "https://minio.den.example.com:9000",
				S3Region: "us-east-1", S3SecretKey: sim.SimS3SecretKey}
		case sim.RepoSMB:
			w.Smb = &wireSMB{Password: sim.SimSMBPassword, Path: `\\nas-den-01\zerto-ejc`, UserName: `DEN\svc-zerto-ejc`}
		case sim.RepoAzure:
			w.Azure = &wireAzure{AzureAppId: sim.SimAzureAppID, AzureAppKey: sim.SimAzureAppKey, AzureSa: sim.SimAzureAccount,
				AzureTenantId: "0d3f5a1c-0000-4000-8000-000000000002", IsArchiveTiering: true, Path: "ejc"}
		}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}
