package zvmsim

import "fmt"

// Integer enumerations as the ZVM sends them (docs/zvm-api.md, Enumerations). The name lists
// below are served by the valid-value endpoints in enum order, so that
// list[code] names the code.
const (
	vpgInitializing         = 0
	vpgMeetingSLA           = 1
	vpgNotMeetingSLA        = 2
	vpgRpoNotMeetingSLA     = 3
	vpgHistoryNotMeetingSLA = 4

	subNone                 = 0
	subInitialSync          = 1
	subError                = 8
	subDisconnectedFromPeer = 24

	alertNormal  = 0
	alertWarning = 1
	alertError   = 2

	vraInstalled    = 0
	vraNotInstalled = 2

	// vraUpgradeLatest is the UpgradeStatus of an up-to-date VRA: 4 LatestVersion in the
	// names an older Zerto UI gives codes 0-4.
	vraUpgradeLatest = 4

	pairingPaired    = 0
	pairingUnpairing = 2

	limitUnlimited  = 0
	limitMegabytes  = 1
	limitPercentage = 2

	taskInProgress = 1
	taskCompleted  = 6

	eventEntityVPG        = 0
	eventEntityVRA        = 1
	eventEntitySite       = 3
	eventCreateVPG        = 1
	eventFailOverTest     = 4
	eventStopFailOverTest = 5
	eventAlertTurnedOn    = 47
	eventAlertTurnedOff   = 48
)

var (
	vpgStatusNames = []string{"Initializing", "MeetingSLA", "NotMeetingSLA", "RpoNotMeetingSLA",
		"HistoryNotMeetingSLA", "FailingOver", "Moving", "Deleting", "Recovered"}
	vpgSubStatusNames = []string{"None", "InitialSync", "Creating", "VolumeInitialSync", "Sync",
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
	vpgPriorityNames    = []string{"Low", "Medium", "High"}
	vpgEntityTypeNames  = []string{"VCVpg", "VCvApp", "VCDvApp", "AWS", "HyperV", "Azure"}
	commitPolicyNames   = []string{"Rollback", "Commit", "None"}
	shutdownPolicyNames = []string{"None", "Shutdown", "ForceShutdown"}
	vraStatusNames      = []string{"Installed", "UnsupportedEsxVersion", "NotInstalled", "Installing",
		"Removing", "InstallationError", "HostPasswordChanged", "UpdatingIpSettings", "DuringChangeHost",
		"HostInMaintenanceMode", "SimulatedVraStatus10"}
	vraIPConfigNames   = []string{"Dhcp", "Static"}
	pairingStatusNames = []string{"Paired", "Pairing", "Unpairing"}
	alertLevelNames    = []string{"Warning", "Error"}
	alertEntityNames   = []string{"Zvm", "Vra", "Vpg", "CloudConnector", "Storage", "License", "Zcm",
		"FileRecoveryComponent"}
	eventEntityNames   = []string{"VPG", "VRA", "Unknown", "Site"}
	eventCategoryNames = []string{"All", "Events", "Alerts"}
	taskTypeNames      = []string{"CreateProtectionGroup", "RemoveProtectionGroup", "FailOver",
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
	alertHelpIDs = helpIdentifiers()
	// eventTypeNames names the event types the simulator emits (eventCreateVPG and the others);
	// the eventType filter takes their codes.
	eventTypeNames       = []string{"CreateProtectionGroup", "FailOverTest", "StopFailOverTest", "AlertTurnedOn", "AlertTurnedOff"}
	retentionPolicyNames = []string{"Standard", "Extended"}
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

// nameLists maps each valid-value endpoint to its names.
func nameLists() map[string][]string {
	return map[string][]string{
		"/v1/vpgs/statuses":                 vpgStatusNames,
		"/v1/vpgs/substatuses":              vpgSubStatusNames,
		"/v1/vpgs/priorities":               vpgPriorityNames,
		"/v1/vpgs/entitytypes":              vpgEntityTypeNames,
		"/v1/vpgs/failovercommitpolicies":   commitPolicyNames,
		"/v1/vpgs/failovershutdownpolicies": shutdownPolicyNames,
		"/v1/vras/statuses":                 vraStatusNames,
		"/v1/vras/ipconfigurationtypes":     vraIPConfigNames,
		"/v1/peersites/pairingstatuses":     pairingStatusNames,
		"/v1/localsite/pairingstatuses":     pairingStatusNames,
		"/v1/alerts/levels":                 alertLevelNames,
		"/v1/alerts/entities":               alertEntityNames,
		"/v1/alerts/helpidentifiers":        alertHelpIDs,
		"/v1/events/entities":               eventEntityNames,
		"/v1/events/categories":             eventCategoryNames,
		"/v1/tasks/types":                   taskTypeNames,
		"/v1/events/types":                  eventTypeNames,
		"/v1/vpgs/retentionpolicies":        retentionPolicyNames,
	}
}
