package zvmsim

import (
	"strconv"
	"time"
)

// Wire types: the JSON the ZVM sends, in its PascalCase names and with link
// members in lower case (docs/zvm-api.md, Wire conventions). Fields are in the alphabetical order
// in which Zerto's serialiser emits them. Fields that only one flavour sends
// are omitempty and left empty for the other.

type wireLink struct {
	Href       string  `json:"href"`
	Identifier string  `json:"identifier"`
	Rel        *string `json:"rel"`
	Type       string  `json:"type"`
}

// wireSelfLink is the Windows ZVM's "Link_{0}": the self link again, without
// an identifier.
type wireSelfLink struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
	Type string `json:"type"`
}

// wireVMLink is a VM's link; 10.x adds the snake_case members.
type wireVMLink struct {
	Href               string  `json:"href"`
	Identifier         string  `json:"identifier"`
	InstanceIdentifier string  `json:"instance_identifier,omitempty"`
	Rel                *string `json:"rel"`
	Type               string  `json:"type"`
	VpgIdentifier      string  `json:"vpg_identifier,omitempty"`
}

type wireLocalSite struct {
	BandwidthThrottlingInMBs   float64  `json:"BandwidthThrottlingInMBs"`
	ContactEmail               string   `json:"ContactEmail"`
	ContactName                string   `json:"ContactName"`
	ContactPhone               string   `json:"ContactPhone"`
	DisplayVersion             string   `json:"DisplayVersion,omitempty"`
	IpAddress                  string   `json:"IpAddress"`
	IsLoginBannerEnabled       *bool    `json:"IsLoginBannerEnabled,omitempty"`
	IsReplicationToSelfEnabled bool     `json:"IsReplicationToSelfEnabled"`
	Link                       wireLink `json:"Link"`
	Location                   string   `json:"Location"`
	// LoginBanner and PlatformInformation are the appliance's: null banner text, a vCenter IP.
	LoginBanner         *null             `json:"LoginBanner,omitempty"`
	PlatformInformation *wireSitePlatform `json:"PlatformInformation,omitempty"`
	SiteIdentifier      string            `json:"SiteIdentifier"`
	SiteName            string            `json:"SiteName"`
	SiteType            string            `json:"SiteType"`
	SiteTypeVersion     string            `json:"SiteTypeVersion,omitempty"`
	UtcOffsetInMinutes  int               `json:"UtcOffsetInMinutes"`
	Version             string            `json:"Version"`
	ZvmApiVersion       string            `json:"ZvmApiVersion,omitempty"`
}

type wirePeerSite struct {
	HostName               string        `json:"HostName"`
	IncomingThroughputInMb float64       `json:"IncomingThroughputInMb"`
	Link                   wireLink      `json:"Link"`
	Link0                  *wireSelfLink `json:"Link_{0},omitempty"`
	Location               string        `json:"Location"`
	OutgoingBandWidth      float64       `json:"OutgoingBandWidth"`
	PairingStatus          int           `json:"PairingStatus"`
	PeerSiteName           string        `json:"PeerSiteName"`
	Port                   int           `json:"Port"`
	ProvisionedStorage     int64         `json:"ProvisionedStorage"`
	RegionName             *null         `json:"RegionName,omitempty"` // appliance: null, a vSphere peer has no region
	SiteIdentifier         string        `json:"SiteIdentifier"`
	SiteType               string        `json:"SiteType"`
	UsedStorage            int64         `json:"UsedStorage"`
	Version                string        `json:"Version"`
}

type wireEntities struct {
	Protected int  `json:"Protected"`
	Recovery  int  `json:"Recovery"`
	Source    *int `json:"Source,omitempty"`
	Target    *int `json:"Target,omitempty"`
}

type wireFailSafe struct {
	ActualFailSafeHistory     int    `json:"ActualFailSafeHistory"`
	ConfiguredFailSafeHistory int    `json:"ConfiguredFailSafeHistory"`
	FailSafeDescription       string `json:"FailSafeDescription"`
}

type wireCheckpoint struct {
	CheckpointIdentifier string  `json:"CheckpointIdentifier"`
	Tag                  *string `json:"Tag"`
	TimeStamp            string  `json:"TimeStamp"`
	Type                 *int    `json:"Type,omitempty"`
	Vss                  *bool   `json:"Vss,omitempty"`
}

type wireHistory struct {
	ActualHistoryInMinutes     int            `json:"ActualHistoryInMinutes"`
	ConfiguredHistoryInMinutes int            `json:"ConfiguredHistoryInMinutes"`
	EarliestCheckpoint         wireCheckpoint `json:"EarliestCheckpoint"`
}

type wireStage struct {
	Stage string `json:"Stage"`
}

type wireActiveProcesses struct {
	RunningFailOverTestApi *wireStage `json:"RunningFailOverTestApi"`
}

type wireVPG struct {
	ActiveProcessesApi       wireActiveProcesses `json:"ActiveProcessesApi"`
	ActualRPO                int                 `json:"ActualRPO"` // -1 while initialising
	AlertStatus              int                 `json:"AlertStatus"`
	BackupEnabled            bool                `json:"BackupEnabled"`
	ConfiguredRpoSeconds     int                 `json:"ConfiguredRpoSeconds"`
	Entities                 wireEntities        `json:"Entities"`
	FailSafeHistory          *wireFailSafe       `json:"FailSafeHistory"`
	HistoryStatusApi         wireHistory         `json:"HistoryStatusApi"`
	IOPs                     int                 `json:"IOPs"`
	LastTest                 *string             `json:"LastTest"`
	Link                     wireLink            `json:"Link"`
	Link0                    *wireSelfLink       `json:"Link_{0},omitempty"`
	OrganizationName         string              `json:"OrganizationName"`
	Priority                 int                 `json:"Priority"`
	ProgressPercentage       float64             `json:"ProgressPercentage"`
	ProtectedSite            wireLink            `json:"ProtectedSite"`
	ProtectedSiteName        string              `json:"ProtectedSiteName,omitempty"`
	ProvisionedStorageInMB   int64               `json:"ProvisionedStorageInMB"`
	RecoverySite             wireLink            `json:"RecoverySite"`
	RecoverySiteName         string              `json:"RecoverySiteName,omitempty"`
	ServiceProfile           *wireLink           `json:"ServiceProfile"`
	ServiceProfileIdentifier *string             `json:"ServiceProfileIdentifier"`
	ServiceProfileName       string              `json:"ServiceProfileName"`
	SourceSite               string              `json:"SourceSite,omitempty"`
	Status                   int                 `json:"Status"`
	StatusDescription        string              `json:"StatusDescription,omitempty"`
	SubStatus                int                 `json:"SubStatus"`
	SubStatusDescription     string              `json:"SubStatusDescription,omitempty"`
	TargetSite               string              `json:"TargetSite,omitempty"`
	ThroughputInMB           float64             `json:"ThroughputInMB"`
	UsedStorageInMB          int64               `json:"UsedStorageInMB"`
	VmsCount                 int                 `json:"VmsCount"`
	VpgDescription           *string             `json:"VpgDescription,omitempty"`
	VpgIdentifier            string              `json:"VpgIdentifier"`
	VpgName                  string              `json:"VpgName"`
	VpgType                  string              `json:"VpgType,omitempty"`
	Zorg                     wireLink            `json:"Zorg"`
}

type wireEnabledActions struct {
	IsFlrEnabled bool `json:"IsFlrEnabled"`
}

// wireVMVolume is a VM's volume; the appliance adds PublicCloudVolumeIdentifier, null for a
// vSphere disk.
type wireVMVolume struct {
	PublicCloudVolumeIdentifier *null  `json:"PublicCloudVolumeIdentifier,omitempty"`
	VmVolumeIdentifier          string `json:"VmVolumeIdentifier"`
}

type wireNic struct {
	NicIdentifier string `json:"NicIdentifier"`
}

type wireNetworkAdapter struct {
	DisplayName       string   `json:"DisplayName"`
	IpAddresses       []string `json:"IpAddresses"`
	NetworkIdentifier string   `json:"NetworkIdentifier"`
}

type wireVMNetwork struct {
	NetworkAdapters []wireNetworkAdapter `json:"NetworkAdapters"`
}

// wireVMPlatform is a 10.x VM's PlatformInformation: only Azure has members, all null on vSphere.
type wireVMPlatform struct {
	Azure struct {
		MachineSize   *string `json:"MachineSize"`
		ResourceGroup *string `json:"ResourceGroup"`
		Tags          *[]any  `json:"Tags"`
	} `json:"Azure"`
}

// wireSitePlatform is a 10.x site's PlatformInformation.
type wireSitePlatform struct {
	Azure struct {
		RegionName    *string `json:"RegionName"`
		ResourceGroup *string `json:"ResourceGroup"`
		Subscription  *string `json:"Subscription"`
	} `json:"Azure"`
	VCenter struct {
		Ip string `json:"Ip"`
	} `json:"VCenter"`
}

// wireVMNative10 holds what the 10.x ZVM adds to a VM of /v1/vms and of a virtualization
// site's VM list; it is built once per VM.
type wireVMNative10 struct {
	IsAgentInstalled     bool           `json:"IsAgentInstalled"`
	Nics                 []wireNic      `json:"Nics"`
	PlatformInformation  wireVMPlatform `json:"PlatformInformation"`
	VmNetworkInformation wireVMNetwork  `json:"VmNetworkInformation"`
	Volumes              []wireVMVolume `json:"Volumes"`
}

type wireVM struct {
	ActualRPO                 int                `json:"ActualRPO"`
	CpuCoresNum               int                `json:"CpuCoresNum,omitempty"`
	EnabledActions            wireEnabledActions `json:"EnabledActions"`
	Entities                  wireEntities       `json:"Entities"`
	GuestOs                   string             `json:"GuestOs,omitempty"`
	HardwareVersion           string             `json:"HardwareVersion"`
	IOPs                      int                `json:"IOPs"`
	IsAgentInstalled          *bool              `json:"IsAgentInstalled,omitempty"`
	IsVmExists                bool               `json:"IsVmExists"`
	JournalHardLimit          JournalLimit       `json:"JournalHardLimit"`
	JournalUsedStorageMb      int64              `json:"JournalUsedStorageMb"`
	JournalWarningThreshold   JournalLimit       `json:"JournalWarningThreshold"`
	LastTest                  *string            `json:"LastTest"`
	Link                      wireVMLink         `json:"Link"`
	Link0                     *wireSelfLink      `json:"Link_{0},omitempty"`
	MemorySizeInMB            int                `json:"MemorySizeInMB,omitempty"`
	Nics                      []wireNic          `json:"Nics,omitempty"`
	OrganizationName          string             `json:"OrganizationName"`
	OutgoingBandWidthInMbps   float64            `json:"OutgoingBandWidthInMbps"`
	OwningDatastoreIdentifier string             `json:"OwningDatastoreIdentifier,omitempty"`
	OwningDatastoreName       string             `json:"OwningDatastoreName,omitempty"`
	OwningHostIdentifier      string             `json:"OwningHostIdentifier,omitempty"`
	OwningHostName            string             `json:"OwningHostName,omitempty"`
	PlatformInformation       *wireVMPlatform    `json:"PlatformInformation,omitempty"`
	Priority                  int                `json:"Priority"`
	ProtectedSite             wireLink           `json:"ProtectedSite"`
	ProtectedSiteName         string             `json:"ProtectedSiteName,omitempty"`
	ProvisionedStorageInMB    int64              `json:"ProvisionedStorageInMB"`
	RecoveryHostIdentifier    string             `json:"RecoveryHostIdentifier"`
	RecoveryHostName          string             `json:"RecoveryHostName,omitempty"`
	RecoverySite              wireLink           `json:"RecoverySite"`
	RecoverySiteName          string             `json:"RecoverySiteName,omitempty"`
	SourceSite                string             `json:"SourceSite,omitempty"`
	Status                    int                `json:"Status"`
	SubStatus                 int                `json:"SubStatus"`
	TargetSite                string             `json:"TargetSite,omitempty"`
	ThroughputInMB            float64            `json:"ThroughputInMB"`
	UsedStorageInMB           int64              `json:"UsedStorageInMB"`
	VmIdentifier              string             `json:"VmIdentifier"`
	VmName                    string             `json:"VmName"`
	VmNetworkInformation      *wireVMNetwork     `json:"VmNetworkInformation,omitempty"`
	Volumes                   []wireVMVolume     `json:"Volumes"`
	VpgIdentifier             string             `json:"VpgIdentifier"`
	VpgName                   string             `json:"VpgName"`
}

type wireCounters struct {
	Vms     int `json:"Vms"`
	Volumes int `json:"Volumes"`
	Vpgs    int `json:"Vpgs"`
}

type wireVraAlerts struct {
	VraAlertsStatus int `json:"VraAlertsStatus"`
}

type wireVraNetwork struct {
	DefaultGateway            string `json:"DefaultGateway"`
	SubnetMask                string `json:"SubnetMask"`
	VraIPAddress              string `json:"VraIPAddress"`
	VraIPAddressRangeEnd      *null  `json:"VraIPAddressRangeEnd,omitempty"` // appliance: null (a static address, no range)
	VraIPConfigurationTypeApi string `json:"VraIPConfigurationTypeApi"`
}

// wireVraPlatform is a 10.x VRA's PlatformInformation: Azure's only, null on vSphere.
type wireVraPlatform struct {
	Azure struct {
		StorageAccountCmk *string `json:"StorageAccountCmk"`
	} `json:"Azure"`
}

type wireVRA struct {
	DatastoreClusterIdentifier *string          `json:"DatastoreClusterIdentifier"`
	DatastoreClusterName       *string          `json:"DatastoreClusterName"`
	DatastoreIdentifier        string           `json:"DatastoreIdentifier"`
	DatastoreName              string           `json:"DatastoreName"`
	HostDisplayName            string           `json:"HostDisplayName,omitempty"`
	HostIdentifier             string           `json:"HostIdentifier"`
	HostVersion                string           `json:"HostVersion"`
	IpAddress                  string           `json:"IpAddress,omitempty"`
	IsGhost                    *bool            `json:"IsGhost,omitempty"`
	IsVaio                     *bool            `json:"IsVaio,omitempty"`
	Link                       wireLink         `json:"Link"`
	Link0                      *wireSelfLink    `json:"Link_{0},omitempty"`
	MemoryInGB                 int              `json:"MemoryInGB"`
	NetworkIdentifier          string           `json:"NetworkIdentifier"`
	NetworkName                string           `json:"NetworkName"`
	NumOfCpus                  int              `json:"NumOfCpus,omitempty"`
	PlatformInformation        *wireVraPlatform `json:"PlatformInformation,omitempty"`
	Progress                   int              `json:"Progress"`
	ProtectedCounters          wireCounters     `json:"ProtectedCounters"`
	RecoveryCounters           wireCounters     `json:"RecoveryCounters"`
	SelfProtectedVpgs          int              `json:"SelfProtectedVpgs"`
	Status                     int              `json:"Status"`
	UpgradeStatus              *int             `json:"UpgradeStatus,omitempty"`
	VmInstanceType             *null            `json:"VmInstanceType,omitempty"` // appliance: null, an Azure concept
	VraAlerts                  wireVraAlerts    `json:"VraAlerts"`
	VraGroup                   string           `json:"VraGroup"`
	VraIdentifier              int64            `json:"VraIdentifier"`
	VraIdentifierStr           string           `json:"VraIdentifierStr"`
	VraName                    string           `json:"VraName"`
	VraDisplayVersion          string           `json:"VraDisplayVersion,omitempty"`
	VraNetworkDataApi          wireVraNetwork   `json:"VraNetworkDataApi"`
	VraVersion                 string           `json:"VraVersion"`
}

type wireAlert struct {
	AffectedVpgs   []wireLink `json:"AffectedVpgs"`
	AffectedZorgs  []wireLink `json:"AffectedZorgs"`
	Description    string     `json:"Description"`
	Entity         string     `json:"Entity"`
	Generation     int64      `json:"Generation,omitempty"`
	HelpIdentifier string     `json:"HelpIdentifier"`
	IsDismissed    bool       `json:"IsDismissed"`
	Level          string     `json:"Level"`
	Link           wireLink   `json:"Link"`
	Site           wireLink   `json:"Site"`
	TurnedOn       string     `json:"TurnedOn"`
}

type wireEventRelated struct {
	Alerts       []wireLink  `json:"Alerts"`
	FlrSessions  []wireLink  `json:"FlrSessions"`
	Hosts        []wireLink  `json:"Hosts"`
	Repositories *[]wireLink `json:"Repositories,omitempty"` // appliance only
	Sites        []wireLink  `json:"Sites"`
	Vpgs         []wireLink  `json:"Vpgs"`
	Zorgs        []wireLink  `json:"Zorgs"`
}

type wireTaskRelated struct {
	FlrSessions []wireLink `json:"FlrSessions"`
	Hosts       []wireLink `json:"Hosts"`
	Sites       []wireLink `json:"Sites"`
	Vpgs        []wireLink `json:"Vpgs"`
}

type wireEvent struct {
	Description                string           `json:"Description"`
	EntityType                 int              `json:"EntityType"`
	EventCategory              string           `json:"EventCategory"`
	EventCompletedSuccessfully bool             `json:"EventCompletedSuccessfully"`
	EventIdentifier            string           `json:"EventIdentifier"`
	EventType                  int              `json:"EventType"`
	HelpLink                   string           `json:"HelpLink"`
	Link                       wireLink         `json:"Link"`
	OccurredOn                 string           `json:"OccurredOn"`
	RelatedEntities            wireEventRelated `json:"RelatedEntities"`
	SiteIdentifier             string           `json:"SiteIdentifier,omitempty"`
	SiteName                   string           `json:"SiteName,omitempty"`
	UserName                   string           `json:"UserName"`
}

type wireTaskStatus struct {
	Progress int `json:"Progress"`
	State    int `json:"State"`
}

type wireTask struct {
	CompleteReason  string          `json:"CompleteReason"`
	Completed       *string         `json:"Completed"`
	Generation      int64           `json:"Generation,omitempty"`
	InitiatedBy     string          `json:"InitiatedBy"`
	IsCancellable   bool            `json:"IsCancellable"`
	Link            wireLink        `json:"Link"`
	RelatedEntities wireTaskRelated `json:"RelatedEntities"`
	Started         string          `json:"Started"`
	Status          wireTaskStatus  `json:"Status"`
	TaskIdentifier  string          `json:"TaskIdentifier"`
	Type            string          `json:"Type"`
}

type wireDatastoreCluster struct {
	DatastoreClusterIdentifier *string `json:"DatastoreClusterIdentifier"`
	DatastoreClusterName       *string `json:"DatastoreClusterName"`
}

type wireDatastoreConfig struct {
	Devices                []string              `json:"Devices"`
	OwningDatastoreCluster *wireDatastoreCluster `json:"OwningDatastoreCluster"`
	Type                   *string               `json:"Type"`
}

type wireDatastoreHealth struct {
	Alerts []wireLink `json:"Alerts"`
	Status *string    `json:"Status"`
}

type wireCapacity struct {
	CapacityInBytes    *int64 `json:"CapacityInBytes"`
	FreeInBytes        *int64 `json:"FreeInBytes"`
	ProvisionedInBytes *int64 `json:"ProvisionedInBytes"`
	UsedInBytes        *int64 `json:"UsedInBytes"`
}

type wireUsage struct {
	ProvisionedInBytes int64 `json:"ProvisionedInBytes"`
	UsedInBytes        int64 `json:"UsedInBytes"`
}

type wireZertoUsage struct {
	Appliances wireUsage `json:"Appliances"`
	Journal    wireUsage `json:"Journal"`
	Protected  wireUsage `json:"Protected"`
	Recovery   wireUsage `json:"Recovery"`
	Scratch    wireUsage `json:"Scratch"`
	Unknown    wireUsage `json:"Unknown"`
}

type wireDatastoreUsage struct {
	Datastore wireCapacity    `json:"Datastore"`
	Zerto     *wireZertoUsage `json:"Zerto"`
}

type wireDatastoreStats struct {
	AvailabilityStatus string             `json:"AvailabilityStatus"`
	NumIncomingVMs     int                `json:"NumIncomingVMs"`
	NumOutgoingVMs     int                `json:"NumOutgoingVMs"`
	NumVRAs            int                `json:"NumVRAs"`
	Usage              wireDatastoreUsage `json:"Usage"`
}

type wireDatastore struct {
	Config              wireDatastoreConfig  `json:"Config"`
	DatastoreIdentifier string               `json:"DatastoreIdentifier"`
	DatastoreName       string               `json:"DatastoreName"`
	Health              *wireDatastoreHealth `json:"Health"`
	Stats               wireDatastoreStats   `json:"Stats"`
}

// wireNamed is the {Identifier, Name} pair of volume sub-objects (PascalCase,
// unlike links); both null where the volume has no such owner.
type wireNamed struct {
	Identifier *string `json:"Identifier"`
	Name       *string `json:"Name"`
}

func named(id, name string) wireNamed { return wireNamed{Identifier: &id, Name: &name} }

type wireVolumePath struct {
	FileName string `json:"FileName"`
	Full     string `json:"Full"`
	Relative string `json:"Relative"`
}

type wireVolume struct {
	Datastore         wireNamed      `json:"Datastore"`
	IsThinProvisioned bool           `json:"IsThinProvisioned"`
	OwningVm          wireNamed      `json:"OwningVm"`
	Path              wireVolumePath `json:"Path"`
	ProtectedVm       wireNamed      `json:"ProtectedVm"`
	Size              wireUsage      `json:"Size"`
	StoragePolicy     wireNamed      `json:"StoragePolicy"`
	VolumeIdentifier  string         `json:"VolumeIdentifier"`
	VolumeType        string         `json:"VolumeType"`
	Vpg               wireNamed      `json:"Vpg"`
}

type wireLicenseDetails struct {
	ExpiryTime  string `json:"ExpiryTime"`
	LicenseKey  string `json:"LicenseKey"`
	LicenseType string `json:"LicenseType"`
	MaxVms      int    `json:"MaxVms"`
}

type wireSiteUsage struct {
	ProtectedVmsCount int    `json:"ProtectedVmsCount"`
	SiteIdentifier    string `json:"SiteIdentifier"`
	SiteName          string `json:"SiteName"`
}

type wireLicenseUsage struct {
	SitesUsage    []wireSiteUsage `json:"SitesUsage"`
	TotalVmsCount int             `json:"TotalVmsCount"`
}

type wireLicense struct {
	Details wireLicenseDetails `json:"Details"`
	Usage   wireLicenseUsage   `json:"Usage"`
}

type wireVMStatistics struct {
	IoOperationsCounter        int64  `json:"IoOperationsCounter"`
	NetworkTrafficCounterInMBs int64  `json:"NetworkTrafficCounterInMBs"`
	SampleTime                 string `json:"SampleTime"`
	SyncCounterInMBs           int64  `json:"SyncCounterInMBs"`
	VmIdentifier               string `json:"VmIdentifier"`
	VpgIdentifier              string `json:"VpgIdentifier"`
	WriteCounterInMBs          int64  `json:"WriteCounterInMBs"`
}

type wireReportGeneral struct {
	EndTime           string `json:"EndTime"`
	InitiatedBy       string `json:"InitiatedBy"`
	Notes             string `json:"Notes"`
	PointInTime       string `json:"PointInTime"`
	ProtectedSiteName string `json:"ProtectedSiteName"`
	RTOInSeconds      string `json:"RTOInSeconds"`
	RecoverySiteName  string `json:"RecoverySiteName"`
	RecoveryType      string `json:"RecoveryType"`
	StartTime         string `json:"StartTime"`
	Status            string `json:"Status"`
	VpgIdentifier     string `json:"VpgIdentifier"`
	VpgName           string `json:"VpgName"`
}

type wireReportVpg struct {
	DefaultDatastoreName string `json:"DefaultDatastoreName"`
	DefaultHostName      string `json:"DefaultHostName"`
	DefaultNetworkName   string `json:"DefaultNetworkName"`
}

type wireReportVM struct {
	DatastoreName string               `json:"DatastoreName"`
	FolderName    string               `json:"FolderName"`
	HostName      string               `json:"HostName"`
	NetworkNames  []string             `json:"NetworkNames"`
	VmName        string               `json:"VmName"`
	Volumes       []wireReportVMVolume `json:"Volumes,omitempty"` // appliance only
}

type wireReportVMVolume struct {
	DatastoreName string `json:"DatastoreName"`
	VolumeName    string `json:"VolumeName"`
}

type wireReportStep struct {
	Description   string `json:"Description"`
	EndTime       string `json:"EndTime"`
	ExecutionTime string `json:"ExecutionTime"`
	Result        string `json:"Result"`
	StartTime     string `json:"StartTime"`
}

type wireReportSettings struct {
	Steps []wireReportStep `json:"Steps"`
	Vms   []wireReportVM   `json:"Vms"`
	Vpg   wireReportVpg    `json:"Vpg"`
}

type wireReport struct {
	General                     wireReportGeneral  `json:"General"`
	RecoveryOperationIdentifier string             `json:"RecoveryOperationIdentifier"`
	RecoverySettings            wireReportSettings `json:"RecoverySettings"`
}

// null is a member the appliance sends as null and the Windows ZVM does not send: a nil *null
// is left out (omitempty), &jsonNull is written as null. Unlike a json.RawMessage in an
// interface, it costs no allocation per element.
type null struct{}

var nullJSON = []byte("null")

func (null) MarshalJSON() ([]byte, error) { return nullJSON, nil }

// wireError is the ASP.NET-style error body of /v1 calls.
type wireError struct {
	Message string `json:"Message"`
}

// isoTime formats an instant as ISO 8601 in UTC with milliseconds, as
// 2019-07-11T16:51:07.022Z.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// wcfTime formats an instant as a Microsoft JSON date, /Date(ms)/.
func wcfTime(t time.Time) string { return "/Date(" + strconv.FormatInt(t.UnixMilli(), 10) + ")/" }

type wireServiceProfile struct {
	Description                      string   `json:"Description"`
	History                          string   `json:"History"`
	JournalWarningThresholdInPercent int      `json:"JournalWarningThresholdInPercent"`
	Link                             wireLink `json:"Link"`
	MaxJournalSizeInPercent          int      `json:"MaxJournalSizeInPercent"`
	Rpo                              string   `json:"Rpo"`
	ServiceProfileIdentifier         string   `json:"ServiceProfileIdentifier,omitempty"`
	ServiceProfileName               string   `json:"ServiceProfileName"`
	TestInterval                     string   `json:"TestInterval"`
}

// wireNativeVM is an element of /v1/virtualizationsites/{siteIdentifier}/vms as the 7.x ZVM
// sends it (the 10.x one adds host, datastore and network fields the exporter does not read).
type wireNativeVM struct {
	VmIdentifier string `json:"VmIdentifier"`
	VmName       string `json:"VmName"`
}

type wireCheckpointStats struct {
	Earliest *wireCheckpoint `json:"Earliest"`
	Latest   *wireCheckpoint `json:"Latest"`
}
