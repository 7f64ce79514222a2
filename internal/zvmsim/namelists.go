package zvmsim

// nameLists maps each valid-value endpoint to its names.
func nameLists() map[string][]string {
	return map[string][]string{
		"/v1/vpgs/statuses":                 VPGStatusNames,
		"/v1/vpgs/substatuses":              VPGSubStatusNames,
		"/v1/vpgs/priorities":               VPGPriorityNames,
		"/v1/vpgs/entitytypes":              VPGEntityTypeNames,
		"/v1/vpgs/failovercommitpolicies":   CommitPolicyNames,
		"/v1/vpgs/failovershutdownpolicies": ShutdownPolicyNames,
		"/v1/vras/statuses":                 VRAStatusNames,
		"/v1/vras/ipconfigurationtypes":     VRAIPConfigNames,
		"/v1/peersites/pairingstatuses":     PairingStatusNames,
		"/v1/localsite/pairingstatuses":     PairingStatusNames,
		"/v1/alerts/levels":                 AlertLevelNames,
		"/v1/alerts/entities":               AlertEntityNames,
		"/v1/alerts/helpidentifiers":        AlertHelpIDs,
		"/v1/events/entities":               EventEntityNames,
		"/v1/events/categories":             EventCategoryNames,
		"/v1/tasks/types":                   TaskTypeNames,
		"/v1/events/types":                  EventTypeNames,
		"/v1/vpgs/retentionpolicies":        RetentionPolicyNames,
	}
}
