package zvmsim

import "github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"

// nameLists maps each valid-value endpoint to its names.
func nameLists() map[string][]string {
	return map[string][]string{
		"/v1/vpgs/statuses":                 sim.VPGStatusNames,
		"/v1/vpgs/substatuses":              sim.VPGSubStatusNames,
		"/v1/vpgs/priorities":               sim.VPGPriorityNames,
		"/v1/vpgs/entitytypes":              sim.VPGEntityTypeNames,
		"/v1/vpgs/failovercommitpolicies":   sim.CommitPolicyNames,
		"/v1/vpgs/failovershutdownpolicies": sim.ShutdownPolicyNames,
		"/v1/vras/statuses":                 sim.VRAStatusNames,
		"/v1/vras/ipconfigurationtypes":     sim.VRAIPConfigNames,
		"/v1/peersites/pairingstatuses":     sim.PairingStatusNames,
		"/v1/localsite/pairingstatuses":     sim.PairingStatusNames,
		"/v1/alerts/levels":                 sim.AlertLevelNames,
		"/v1/alerts/entities":               sim.AlertEntityNames,
		"/v1/alerts/helpidentifiers":        sim.AlertHelpIDs,
		"/v1/events/entities":               sim.EventEntityNames,
		"/v1/events/categories":             sim.EventCategoryNames,
		"/v1/tasks/types":                   sim.TaskTypeNames,
		"/v1/events/types":                  sim.EventTypeNames,
		"/v1/vpgs/retentionpolicies":        sim.RetentionPolicyNames,
	}
}
