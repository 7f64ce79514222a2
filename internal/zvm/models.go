package zvm

import (
	"net/url"
	"strings"
)

// Wire models of the ZVM REST API. Field names are the wire's PascalCase (links are lower-case),
// not the Swagger file's camelCase (docs/zvm-api.md, Wire conventions). Only the fields the
// exporter reads are declared; every other key (Link_{0}, LicenseKey, free text) is ignored by the
// decoder, so secrets such as the licence key are never held in memory.

// Link is a ZVM link object ({href, identifier, rel, type}).
type Link struct {
	Href       string `json:"href"`
	Identifier string `json:"identifier"`
	Type       string `json:"type"`
}

// idOr returns id, or where it is empty the link's identifier (old ZVMs send only the link).
func (l *Link) idOr(id string) string {
	if id == "" && l != nil {
		return l.Identifier
	}
	return id
}

// LocalSite is GET /v1/localsite.
type LocalSite struct {
	SiteIdentifier           string
	SiteName                 string
	Location                 string
	SiteType                 string
	Version                  string
	DisplayVersion           string
	ZvmApiVersion            string
	UtcOffsetInMinutes       Null[int]
	BandwidthThrottlingInMBs Null[float64] // MB/s; -1 means unlimited
	Link                     *Link
}

// ID returns the site identifier, falling back to the self link (old ZVMs).
func (s *LocalSite) ID() string { return s.Link.idOr(s.SiteIdentifier) }

// PeerSite is one element of GET /v1/peersites.
type PeerSite struct {
	SiteIdentifier         string
	PeerSiteName           string
	Location               string
	Version                string
	SiteType               string
	HostName               string
	Port                   Null[int]
	PairingStatus          Null[int]
	ProvisionedStorage     Null[int64]   // MB
	UsedStorage            Null[int64]   // MB
	IncomingThroughputInMb Null[float64] // MB/s (unit disputed: docs/zvm-api.md, Units)
	OutgoingBandWidth      Null[float64] // unit unverified
}

// VPG is one element of GET /v1/vpgs.
type VPG struct {
	VpgIdentifier      string
	VpgName            string
	OrganizationName   string
	ServiceProfileName string
	// ServiceProfile links the VPG's service profile (null when it has none); some versions also
	// send its id as ServiceProfileIdentifier.
	ServiceProfile           *Link
	ServiceProfileIdentifier string
	Priority                 Null[int]
	Status                   Null[int]
	SubStatus                Null[int]
	AlertStatus              Null[int]
	ActualRPO                Null[float64] // seconds; -1 means not calculated
	ConfiguredRpoSeconds     Null[float64]
	HistoryStatusApi         *HistoryStatus
	FailSafeHistory          *FailSafeHistory
	ThroughputInMB           Null[float64] // MB/s
	IOPs                     Null[float64]
	UsedStorageInMB          Null[float64]
	ProvisionedStorageInMB   Null[float64]
	VmsCount                 Null[float64]
	LastTest                 Time
	ProtectedSite            *Link
	RecoverySite             *Link
	ProtectedSiteName        string
	RecoverySiteName         string
	SourceSite               string // site name, 7.x–9.x only
	TargetSite               string // site name, 7.x–9.x only
	ProgressPercentage       Null[float64]
	ActiveProcessesApi       *ActiveProcesses
}

// HistoryStatus is a VPG's journal history (HistoryStatusApi).
type HistoryStatus struct {
	ActualHistoryInMinutes     Null[float64]
	ConfiguredHistoryInMinutes Null[float64]
	EarliestCheckpoint         *Checkpoint
}

// Checkpoint is a journal checkpoint reference.
type Checkpoint struct {
	CheckpointIdentifier string
	TimeStamp            Time
	Tag                  string // a user's or a script's label; empty (null) for most
}

// FailSafeHistory is the optional fail-safe history of a VPG, in minutes.
type FailSafeHistory struct {
	ActualFailSafeHistory     Null[float64]
	ConfiguredFailSafeHistory Null[float64]
}

// ActiveProcesses says which long operations run on a VPG. RunningFailOverTestApi is non-null while
// a failover test runs; its content is not needed.
type ActiveProcesses struct {
	RunningFailOverTestApi *struct{}
}

// VM is one element of GET /v1/vms: one per (VM, VPG) pair.
type VM struct {
	VmIdentifier            string
	VmName                  string
	VpgIdentifier           string
	VpgName                 string
	ActualRPO               Null[float64] // seconds; -1 means not calculated
	ThroughputInMB          Null[float64] // MB/s
	IOPs                    Null[float64]
	JournalUsedStorageMb    Null[float64]
	JournalHardLimit        *JournalLimit
	JournalWarningThreshold *JournalLimit
	ProvisionedStorageInMB  Null[float64]
	LastTest                Time
	OwningHostIdentifier    string
	OwningHostName          string
	RecoveryHostIdentifier  string
	RecoveryHostName        string
	// Link's identifier is "<VmIdentifier>?VpgIdentifier=<VpgIdentifier>"; the client reads it
	// only to fill those two where the ZVM left them out (idsFromLink), then drops it.
	Link *Link
}

// idsFromLink fills VmIdentifier and VpgIdentifier, where the ZVM left them out, from the row's
// link identifier "<vm id>?VpgIdentifier=<vpg id>" (docs/zvm-api.md).
func (v *VM) idsFromLink() {
	link := v.Link
	v.Link = nil // nothing else reads it: at 10,000 VMs the links would keep a megabyte
	if link == nil || (v.VmIdentifier != "" && v.VpgIdentifier != "") {
		return
	}
	vm, query, _ := strings.Cut(link.Identifier, "?")
	if v.VmIdentifier == "" {
		v.VmIdentifier = vm
	}
	if v.VpgIdentifier != "" {
		return
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return
	}
	for k, vals := range q {
		if strings.EqualFold(k, "VpgIdentifier") && len(vals) > 0 {
			v.VpgIdentifier = vals[0]
			return
		}
	}
}

// JournalLimit is a journal size limit; LimitType is one of the LimitType constants.
type JournalLimit struct {
	LimitType  Null[int]
	LimitValue Null[float64]
}

// VRA is one element of GET /v1/vras. VraIdentifier is deliberately absent: it exceeds 2^53 and
// VraIdentifierStr carries the same id exactly.
type VRA struct {
	VraIdentifierStr  string
	VraName           string
	HostIdentifier    string
	HostDisplayName   string
	VraVersion        string
	HostVersion       string
	VraGroup          string
	Status            Null[int]
	VraAlerts         *VraAlerts
	UpgradeStatus     *int // 10.x only; absent on older ZVMs
	MemoryInGB        Null[float64]
	NumOfCpus         Null[float64] // 10.x only
	ProtectedCounters *VraCounters
	RecoveryCounters  *VraCounters
	SelfProtectedVpgs Null[float64]
	Progress          Null[float64]
	IpAddress         string
	VraNetworkDataApi *VraNetworkData
}

// Host returns the host label of a VRA: the display name where the ZVM sends it, else the id.
func (v *VRA) Host() string {
	if v.HostDisplayName != "" {
		return v.HostDisplayName
	}
	return v.HostIdentifier
}

// IP returns the VRA's address from whichever field this ZVM version fills.
func (v *VRA) IP() string {
	if v.VraNetworkDataApi != nil && v.VraNetworkDataApi.VraIPAddress != "" {
		return v.VraNetworkDataApi.VraIPAddress
	}
	return v.IpAddress
}

// VraAlerts carries a VRA's alert status.
type VraAlerts struct {
	VraAlertsStatus Null[int]
}

// VraCounters counts what a VRA protects or recovers.
type VraCounters struct {
	Vms     Null[float64]
	Volumes Null[float64]
	Vpgs    Null[float64]
}

// VraNetworkData is the VRA's network configuration.
type VraNetworkData struct {
	VraIPAddress string
}

// Alert is one element of GET /v1/alerts. Level, Entity and HelpIdentifier are strings on the wire.
type Alert struct {
	Link           *Link
	Level          string
	Entity         string
	HelpIdentifier string
	TurnedOn       Time
	IsDismissed    bool
	AffectedVpgs   []Link
}

// Datastore is one element of GET /v1/datastores.
type Datastore struct {
	DatastoreIdentifier string
	DatastoreName       string
	Health              *DatastoreHealth
	Stats               *DatastoreStats
}

// DatastoreHealth is a datastore's health; null on the wire when unknown.
type DatastoreHealth struct {
	Status string
}

// DatastoreStats holds a datastore's usage and Zerto's use of it.
type DatastoreStats struct {
	AvailabilityStatus string
	NumVRAs            int
	NumIncomingVMs     int
	NumOutgoingVMs     int
	Usage              *DatastoreUsage
}

// DatastoreUsage splits usage into the datastore's own figures and Zerto's share.
type DatastoreUsage struct {
	Datastore *DatastoreSpace
	Zerto     *ZertoUsage
}

// DatastoreSpace is a datastore's capacity in bytes; each field may be null.
type DatastoreSpace struct {
	CapacityInBytes    *float64
	FreeInBytes        *float64
	UsedInBytes        *float64
	ProvisionedInBytes *float64
}

// ZertoUsage is the space Zerto uses on a datastore, by purpose.
type ZertoUsage struct {
	Protected  *SpaceUsage
	Recovery   *SpaceUsage
	Journal    *SpaceUsage
	Scratch    *SpaceUsage
	Appliances *SpaceUsage
}

// SpaceUsage is used and provisioned bytes; each may be null.
type SpaceUsage struct {
	UsedInBytes        *float64
	ProvisionedInBytes *float64
}

// License is GET /v1/license. LicenseKey is never decoded.
type License struct {
	Details *LicenseDetails
	Usage   *LicenseUsage
}

// LicenseDetails describes the installed licence.
type LicenseDetails struct {
	LicenseType string
	ExpiryTime  Time
	MaxVms      Null[float64]
}

// LicenseUsage counts licensed VMs.
type LicenseUsage struct {
	TotalVmsCount Null[float64]
}

// Task is one element of GET /v1/tasks.
type Task struct {
	TaskIdentifier  string
	Type            string
	Status          *TaskStatus
	Started         Time
	Completed       Time
	RelatedEntities *TaskEntities
}

// TaskStatus is a task's progress and state (TaskState* constants).
type TaskStatus struct {
	Progress Null[float64]
	State    Null[int]
}

// TaskEntities lists the objects a task acts on.
type TaskEntities struct {
	Vpgs []Link
}

// RecoveryReport is one element of GET /v1/reports/recovery.
type RecoveryReport struct {
	RecoveryOperationIdentifier string
	General                     RecoveryGeneral
	RecoverySettings            RecoverySettings
}

// RecoverySettings holds the steps of a recovery operation, which zerto_report lists.
type RecoverySettings struct {
	Steps []RecoveryStep
}

// RecoveryStep is one step of a recovery operation and its result.
type RecoveryStep struct {
	Description string
	Result      string
}

// RecoveryGeneral is the summary of one recovery operation. RTOInSeconds is a string on the wire.
type RecoveryGeneral struct {
	VpgIdentifier string
	VpgName       string
	RecoveryType  string
	StartTime     Time
	EndTime       Time
	RTOInSeconds  FlexFloat
	Status        string
	// Who started the operation, their notes and the checkpoint recovered to: zerto_report
	// prints them beside each failover test.
	InitiatedBy string
	Notes       string
	PointInTime Time
}

// VMStatistics is one element of GET /v1/statistics/vms: cumulative counters that reset when the
// ZVM restarts.
type VMStatistics struct {
	VmIdentifier               string
	VpgIdentifier              string
	IoOperationsCounter        Null[float64]
	WriteCounterInMBs          Null[float64]
	SyncCounterInMBs           Null[float64]
	NetworkTrafficCounterInMBs Null[float64]
	SampleTime                 Time
}
