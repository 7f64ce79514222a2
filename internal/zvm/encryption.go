package zvm

// The models of Zerto 10 encryption (ransomware) detection, appliance only; a Windows ZVM and ZVMs
// before 10.0 answer 404 (ErrNotSupported). Shapes: the 10.0 U6 spec's
// Zerto.RansomwareDetection.Contracts.

// EncryptionLevels names SuspicionLevel and TrendChangeLevel codes. The spec gives both as bare
// int32 without names, so the label value is the code as sent; codes outside 0-3 are Unknown.
var EncryptionLevels = []string{"0", "1", "2", "3"}

// RwLink is the link of the encryption-detection payloads: a ResourceLink that also names the
// object (RwResourceLink, RwVmResourceLink).
type RwLink struct {
	Identifier string `json:"identifier"`
	Name       string `json:"name"`
}

// SuspectedVPG is one element of GET /v1/encryptionDetection/suspected/vpgs.
type SuspectedVPG struct {
	Link           *RwLink
	SuspicionLevel *int
}

// SuspectedVM is one element of GET /v1/encryptionDetection/suspected/vms.
type SuspectedVM struct {
	Link           *RwLink
	SuspicionLevel *int
	AssociatedVpgs []NamedRef
}

// EncryptionMetrics counts a VPG's written data by whether it looked encrypted. The spec says
// neither the unit nor whether the values are cumulative; null is kept apart from 0.
type EncryptionMetrics struct {
	EncryptedData    *int64
	NonEncryptedData *int64
	TrendChangeLevel *int
}

// VPGEncryptionMetrics is one element of GET /v1/encryptionDetection/metrics/vpgs.
type VPGEncryptionMetrics struct {
	Link              *RwLink
	EncryptionMetrics *EncryptionMetrics
}

// EncryptionDetectionState is GET /v1/encryptionDetection/state (SettingsApi). The spec marks it
// for deprecation from 10.0 U6 in favour of the site settings API, whose shape it does not give.
type EncryptionDetectionState struct {
	EncryptionDetectionEnabled *bool
}
