package sim

import "fmt"

// Integer enumerations as the ZVM sends them (docs/zvm-api.md, Enumerations). The name lists
// below are served by the valid-value endpoints in enum order, so that
// list[code] names the code.
const (
	VPGInitializing         = 0
	VPGMeetingSLA           = 1
	VPGNotMeetingSLA        = 2
	VPGRpoNotMeetingSLA     = 3
	VPGHistoryNotMeetingSLA = 4

	SubNone                 = 0
	SubInitialSync          = 1
	subError                = 8
	SubDisconnectedFromPeer = 24

	alertNormal  = 0
	AlertWarning = 1
	AlertError   = 2

	VRAInstalled    = 0
	VRANotInstalled = 2

	// VRAUpgradeLatest is the UpgradeStatus of an up-to-date VRA: 4 LatestVersion in the
	// names an older Zerto UI gives codes 0-4.
	VRAUpgradeLatest = 4

	PairingPaired    = 0
	PairingUnpairing = 2

	LimitUnlimited  = 0
	LimitMegabytes  = 1
	LimitPercentage = 2

	TaskInProgress = 1
	TaskCompleted  = 6

	EventEntityVPG        = 0
	eventEntityVRA        = 1
	eventEntitySite       = 3
	eventCreateVPG        = 1
	EventFailOverTest     = 4
	eventStopFailOverTest = 5
	EventAlertTurnedOn    = 47
	EventAlertTurnedOff   = 48
)

var (
	VPGStatusNames = []string{"Initializing", "MeetingSLA", "NotMeetingSLA", "RpoNotMeetingSLA",
		"HistoryNotMeetingSLA", "FailingOver", "Moving", "Deleting", "Recovered"}
	VPGSubStatusNames = []string{"None", "InitialSync", "Creating", "VolumeInitialSync", "Sync",
		"RecoveryPossible", "DeltaSync", "NeedsConfiguration", "Error", "EmptyProtectionGroup",
		"DisconnectedFromPeerNoRecoveryPoints", "FullSync", "VolumeDeltaSync", "VolumeFullSync",
		"FailingOverCommitting", "FailingOverBeforeCommit", "FailingOverRollingBack", "Promoting",
		"MovingCommitting", "MovingBeforeCommit", "MovingRollingBack", "Deleting", "PendingRemove",
		"BitmapSync", "DisconnectedFromPeer", "ReplicationPausedUserInitiated",
		"ReplicationPausedSystemInitiated", "RecoveryStorageProfileError", "Backup", "RollingBack",
		"RecoveryStorageError", "JournalStorageError", "VmNotProtectedError",
		"JournalOrRecoveryMissingError", "AddedVmsInInitialSync", "ReplicationPausedForMissingVolume",
		// 36..42 and VRA status 10 exist in the 10.0 U6 spec without names: these are the
		// simulator's own, so that a client's use of the name lists can be tested.
		"SimulatedSubStatus36", "SimulatedSubStatus37", "SimulatedSubStatusError38", "SimulatedSubStatus39",
		"SimulatedSubStatus40", "SimulatedSubStatus41", "SimulatedSubStatus42"}
	VPGPriorityNames    = []string{"Low", "Medium", "High"}
	VPGEntityTypeNames  = []string{"VCVpg", "VCvApp", "VCDvApp", "AWS", "HyperV", "Azure"}
	CommitPolicyNames   = []string{"Rollback", "Commit", "None"}
	ShutdownPolicyNames = []string{"None", "Shutdown", "ForceShutdown"}
	VRAStatusNames      = []string{"Installed", "UnsupportedEsxVersion", "NotInstalled", "Installing",
		"Removing", "InstallationError", "HostPasswordChanged", "UpdatingIpSettings", "DuringChangeHost",
		"HostInMaintenanceMode", "SimulatedVraStatus10"}
	VRAIPConfigNames   = []string{"Dhcp", "Static"}
	PairingStatusNames = []string{"Paired", "Pairing", "Unpairing"}
	AlertLevelNames    = []string{"Warning", "Error"}
	AlertEntityNames   = []string{"Zvm", "Vra", "Vpg", "CloudConnector", "Storage", "License", "Zcm",
		"FileRecoveryComponent"}
	EventEntityNames   = []string{"VPG", "VRA", "Unknown", "Site"}
	EventCategoryNames = []string{"All", "Events", "Alerts"}
	TaskTypeNames      = []string{"CreateProtectionGroup", "RemoveProtectionGroup", "FailOver",
		"FailOverTest", "StopFailOverTest", "Move", "GetCheckpointList", "ProtectVM", "UnprotectVM",
		"AddVMToProtectionGroup", "RemoveVMFromProtectionGroup", "InstallVra", "UninstallVra",
		"GetVMSettings", "UpdateProtectionGroup", "InsertTaggedCP", "WaitForCP", "HandleMirrorPromotion",
		"ActivateAllMirrors", "LogCollection", "ClearCheckpoints", "ForceReconfigurationOfNewVM",
		"ClearSite", "ForceRemoveProtectionGroup", "ForceUpdateProtectionGroup",
		"ForceKillProtectionGroup", "PrePostScript", "InitFullSync", "Pair", "Unpair", "AddPeerVraInfo",
		"RemovePeerVraInfo", "InstallCloudConnector", "UninstallCloudConnector", "HandleFirstSyncDone",
		"Clone", "MoveBeforeCommit", "MoveRollback", "MoveCommit", "UpgradeVRA", "MaintainHost",
		"NotSupportedInThisVersion", "MoveProtectionGroupToManualOperationNeeded",
		"FailoverBeforeCommit", "FailoverCommit"}
	AlertHelpIDs = helpIdentifiers()
	// EventTypeNames names the event types the simulator emits (eventCreateVPG and the others);
	// the eventType filter takes their codes.
	EventTypeNames       = []string{"CreateProtectionGroup", "FailOverTest", "StopFailOverTest", "AlertTurnedOn", "AlertTurnedOff"}
	RetentionPolicyNames = []string{"Standard", "Extended"}
)

// helpIdentifiers spells out the HelpIdentifier list (docs/zvm-api.md,
// Enumerations) in enum order.
func helpIdentifiers() []string {
	var ids []string
	add := func(prefix string, nums ...int) {
		for _, n := range nums {
			ids = append(ids, fmt.Sprintf("%s%04d", prefix, n))
		}
	}
	span := func(from, to int) []int {
		var s []int
		for i := from; i <= to; i++ {
			s = append(s, i)
		}
		return s
	}
	add("AWS", 1)
	add("BCK", 1, 2, 5, 6, 7)
	add("LIC", span(1, 8)...)
	add("STR", 1, 2, 4)
	add("VCD", append(append(append(span(1, 7), 10), span(14, 18)...), 20, 21)...)
	add("VPG", append(append(span(3, 12), span(14, 28)...), span(35, 48)...)...)
	add("VRA", append(append(append(span(1, 30), 32), span(35, 40)...), span(49, 55)...)...)
	add("ZCC", span(1, 3)...)
	add("ZCM", 1)
	add("ZVM", span(1, 15)...)
	add("FLR", 1)
	return append(ids, "Unknown")
}
