package zvm

// Enumeration tables (docs/zvm-api.md, Enumerations). The label values are Zerto's own names, as
// the API's name-list endpoints spell them. The 10.0 U6 spec enumerates VPG sub-status codes
// 0..42 and VRA status codes 0..10 without their names: a code outside a table takes the name the
// ZVM's own list gives it (Enums, read by the snapshot package), and only a code neither knows is
// Unknown.

// EnumField names an integer enumeration of the API, as the zerto_exporter_unknown_enum_values_total
// field label and the logs call it.
type EnumField string

// The enumerations whose codes become label values.
const (
	FieldVPGStatus     EnumField = "vpg_status"
	FieldVPGSubStatus  EnumField = "vpg_substatus"
	FieldVRAStatus     EnumField = "vra_status"
	FieldPairingStatus EnumField = "peer_site_pairing_status"
)

// Enum is an enumeration's built-in table and the endpoint where a ZVM lists its names.
type Enum struct {
	Table []string
	Names Endpoint
}

// Enums are the enumerations named from a built-in table first and the ZVM's list second.
var Enums = map[EnumField]Enum{
	FieldVPGStatus:     {VPGStatuses, EndpointVPGStatusNames},
	FieldVPGSubStatus:  {VPGSubStatuses, EndpointVPGSubStatusNames},
	FieldVRAStatus:     {VRAStatuses, EndpointVRAStatusNames},
	FieldPairingStatus: {PairingStatuses, EndpointPairingStatusNames},
}

// Unknown names any code that a table does not know.
const Unknown = "Unknown"

// VPGStatuses is VpgVisualStatusApi, indexed by code. 3 is RpoNotMeetingSLA and 4 is
// HistoryNotMeetingSLA; Zerto's Python SDK swaps them, the API docs do not (docs/zvm-api.md,
// Enumerations).
var VPGStatuses = []string{
	"Initializing", "MeetingSLA", "NotMeetingSLA", "RpoNotMeetingSLA", "HistoryNotMeetingSLA",
	"FailingOver", "Moving", "Deleting", "Recovered",
}

// VPGSubStatuses is VpgVisualSubStatusApi 0..35; 33–35 rest on one source, 36..42 exist in
// 10.0 U6 without documented names (docs/zvm-api.md, Enumerations).
var VPGSubStatuses = []string{
	"None", "InitialSync", "Creating", "VolumeInitialSync", "Sync", "RecoveryPossible", "DeltaSync",
	"NeedsConfiguration", "Error", "EmptyProtectionGroup", "DisconnectedFromPeerNoRecoveryPoints",
	"FullSync", "VolumeDeltaSync", "VolumeFullSync", "FailingOverCommitting", "FailingOverBeforeCommit",
	"FailingOverRollingBack", "Promoting", "MovingCommitting", "MovingBeforeCommit", "MovingRollingBack",
	"Deleting", "PendingRemove", "BitmapSync", "DisconnectedFromPeer", "ReplicationPausedUserInitiated",
	"ReplicationPausedSystemInitiated", "RecoveryStorageProfileError", "Backup", "RollingBack",
	"RecoveryStorageError", "JournalStorageError", "VmNotProtectedError", "JournalOrRecoveryMissingError",
	"AddedVmsInInitialSync", "ReplicationPausedForMissingVolume",
}

// VPGPriorities is the VPG Priority enum.
var VPGPriorities = []string{"Low", "Medium", "High"}

// VRAStatuses is VraStatusApi 0..9; 10 exists in 10.0 U6 without a documented name.
var VRAStatuses = []string{
	"Installed", "UnsupportedEsxVersion", "NotInstalled", "Installing", "Removing", "InstallationError",
	"HostPasswordChanged", "UpdatingIpSettings", "DuringChangeHost", "HostInMaintenanceMode",
}

// AlertStatuses is the alert status of a VPG (AlertStatus) and of a VRA (VraAlerts.VraAlertsStatus),
// 0..4 (docs/zvm-api.md, Enumerations).
var AlertStatuses = []string{"Normal", "Warning", "Error", "Pairing", "Unpairing"}

// VRAUpgradeStatuses names the 10.x VRA UpgradeStatus codes 0..4 as an older Zerto UI enum does; the
// API's own names for 0..7 are unpublished (docs/zvm-api.md, Enumerations), so 5..7 are Unknown.
var VRAUpgradeStatuses = []string{"None", "UpgradeAvailable", "Upgrading", "UpgradeFailed", "LatestVersion"}

// PairingStatuses is PairingVisualStatusApi; sources disagree on the name of 2 (docs/zvm-api.md,
// Enumerations).
var PairingStatuses = []string{"Paired", "Pairing", "Unpairing"}

// Journal LimitType codes (docs/zvm-api.md, Enumerations).
const (
	LimitUnlimited  = 0
	LimitMegabytes  = 1
	LimitPercentage = 2
)

// Task Status.State codes (docs/zvm-api.md, Enumerations).
const (
	TaskStateInProgress          = 1
	TaskStateWaitingForUserInput = 2
	TaskStatePaused              = 3
)

// recoveryTaskTypes maps the task types of a running recovery to the recovery reports' operation
// names (Failover, FailoverTest, Move).
var recoveryTaskTypes = map[string]string{
	"FailOver":             "Failover",
	"FailoverBeforeCommit": "Failover",
	"FailOverTest":         "FailoverTest",
	"Move":                 "Move",
	"MoveBeforeCommit":     "Move",
}

// RecoveryOperation returns the recovery operation a running task of type taskType performs, as
// the recovery reports name it, or false when the task is not a recovery.
func RecoveryOperation(taskType string) (string, bool) {
	op, ok := recoveryTaskTypes[taskType]
	return op, ok
}

// Running reports whether a task is still under way (a failover test waits for the user to stop
// it, and a paused task has not finished).
func (t *Task) Running() bool {
	if t.Status == nil || !t.Status.State.Valid {
		return false
	}
	switch t.Status.State.V {
	case TaskStateInProgress, TaskStateWaitingForUserInput, TaskStatePaused:
		return true
	}
	return false
}

// EnumName returns table[code], or Unknown for a code outside the table.
func EnumName(table []string, code int) string {
	if code < 0 || code >= len(table) {
		return Unknown
	}
	return table[code]
}

// StateSet returns the label values of a state-set metric over table: every known name plus Unknown.
func StateSet(table []string) []string {
	return append(append(make([]string, 0, len(table)+1), table...), Unknown)
}

// MiB is the byte factor of the ZVM's "MB" fields, which are mebibytes (values come in steps of
// 1/1024: docs/zvm-api.md, Units).
const MiB = 1 << 20
