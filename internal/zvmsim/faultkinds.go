package zvmsim

// faultKind declares a fault kind once: its name, the JSON fields it accepts besides "kind", and
// the two columns of README.md's fault table, which TestFaultTableInREADME generates from it.
type faultKind struct {
	name      string
	fields    []string
	fieldsDoc string // the README's "fields" column
	shows     string // the README's "what the ZVMs show" column
}

// faultKinds is every fault kind, in the README's order.
var faultKinds = []faultKind{
	{KindRPOBreach, []string{"vpg", "rpo_seconds"},
		"`vpg`, `rpo_seconds` (default 4× target)",
		"ActualRPO on the VPG and its VMs on both sites; above target: Status 3 RpoNotMeetingSLA, AlertStatus 2, an Error `Vpg` alert `VPG0011` with AffectedVpgs"},
	{KindHistoryShortfall, []string{"vpg", "history_minutes"},
		"`vpg`, `history_minutes` (default a third)",
		"ActualHistoryInMinutes, the earliest checkpoint and a longer fail-safe history cut to it; Status 4 HistoryNotMeetingSLA, a Warning `VPG0009` alert"},
	{KindJournalFill, []string{"vm", "ratio"},
		"`vm`, `ratio` (0–1 of the hard limit)",
		"JournalUsedStorageMb on the VM's rows; past the warning threshold, VPG AlertStatus 1 and a Warning `VPG0007` alert"},
	{KindVRADown, []string{"vra", "status"},
		"`vra` (VRA or host name), `status` (default 2 NotInstalled)",
		"the VRA's Status and VraAlertsStatus 2; its VMs' VPGs NotMeetingSLA (SubStatus 8) with a growing RPO; an Error `VRA0001` alert on the VRA's site"},
	{KindUnpair, []string{"peer_site"},
		"`peer_site` (either site's name)",
		"PairingStatus 2 on both sides; every VPG NotMeetingSLA, SubStatus 24 DisconnectedFromPeer, growing RPO; an Error `ZVM0002` alert"},
	{KindZertoAlert, []string{"level", "entity", "help_id", "description", "vpg"},
		"`level`, `entity`, `help_id`, `description`, `vpg` (optional)",
		"that alert on both sites"},
	{KindRecoveryReport, []string{"vpg", "type", "rto_seconds", "result"},
		"`vpg`, `type` (Failover, FailoverTest, Move), `rto_seconds`, `result` (Success, Fail)",
		"a report ending now; a successful FailoverTest also moves the VPG's LastTest"},
	{KindHTTPError, []string{"endpoint", "status", "count"},
		"`endpoint`, `status`, `count` (0 = until cleared)",
		"that status on both sites (`Retry-After` on 429 and 503)"},
	{KindLatency, []string{"endpoint", "ms"},
		"`endpoint` (`\"\"` or `*` = all), `ms`",
		"responses delayed"},
	{KindMalformed, []string{"endpoint", "count"},
		"`endpoint`, `count`",
		"the first half of the JSON body only"},
	{KindHugeBody, []string{"endpoint", "count", "mb", "shape"},
		"`endpoint`, `count`, `mb` (default 300), `shape` (`empty_objects`, `small_objects` (default), `long_string`)",
		"instead of the resource, a streamed JSON array of about `mb` MiB: `[{},{},…]`, objects of a few short strings, or one object whose `VmName` is the whole body"},
	{KindExpireCredentials, []string{},
		"—",
		"every session and token is invalid (401) until the client logs in again"},
	{KindVPGSubStatus, []string{"vpg", "status"},
		"`vpg`, `status` (0-42)",
		"the VPG's SubStatus becomes `status` (NotMeetingSLA, a growing RPO), e.g. 36..42, which the 10.0 U6 spec lists without names: `/v1/vpgs/substatuses` names them `SimulatedSubStatus36`..`42` (38 `SimulatedSubStatusError38`), and `/v1/vras/statuses` names VRA status 10 (`vra_down` with `status` 10) `SimulatedVraStatus10`, the simulator's own names for testing clients of the name lists"},
	{KindScratchFill, []string{"vpg", "percent"},
		"`vpg`, `percent` (0-100]",
		"every VM of the VPG gets a scratch volume on the recovery site's `/v1/volumes`, used to that percent of its provisioned size (the VM's journal hard limit); without the fault only a running failover test has scratch volumes, filling to 30 % over the test"},
	{KindClockSkew, []string{"seconds", "site"},
		"`seconds` (non-zero, ± a year), `site` (`protected`, `recovery`; none: both)",
		"that site's `/v1/serverDateTime` clock is that far ahead (negative: behind); other timestamps keep the true time"},
	{KindDown, []string{"site", "seconds"},
		"`site` (`protected`, `recovery`), `seconds` (0 = until cleared)",
		"the listener closes (connections refused), then rebinds the same address"},
	{KindEncryptionSuspected, []string{"vpg", "level"},
		"`vpg`, `level` (`\"1\"`–`\"3\"`, default `\"3\"`)",
		"appliance only: the VPG in `suspected/vpgs` with that SuspicionLevel, its VMs in `suspected/vms`, its `metrics/vpgs` mostly encrypted with TrendChangeLevel = level"},
	{KindEJCFailure, []string{"vpg"},
		"`vpg` (one with Extended Journal Copy)",
		"appliance only: LtrVpgStatus 2, AlertStatus 2, one error in AlertTips, DateOfLastRun after TimeOfLastSuccessfulRun, one retention set fewer per missed day"},
	{KindRepositoryFull, []string{"repository", "percent"},
		"`repository`, `percent` (0–100]",
		"appliance only: the repository's used capacity at that percentage"},
	{KindSet, []string{"endpoint", "field", "value", "match"},
		"`endpoint`, `field` (a member path, dotted, names ignoring case), `value` (JSON, default `null`), `match` (`Member=value`: the elements whose member has that value, ignoring case; none: every element)",
		"that member of the endpoint's objects set to the value on both sites, for testing clients with nulls and odd values; a path that names no member leaves the object alone"},
}
