package zvmsim

import "github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"

// The model's names that callers of the simulator use (faults, sites, the fake secrets), so that
// they need import only this package.

type (
	ActiveFault  = sim.ActiveFault
	Fault        = sim.Fault
	JournalLimit = sim.JournalLimit
	Role         = sim.Role
)

const (
	HugeEmptyObjects        = sim.HugeEmptyObjects
	HugeLongString          = sim.HugeLongString
	HugeSmallObjects        = sim.HugeSmallObjects
	KindClockSkew           = sim.KindClockSkew
	KindDown                = sim.KindDown
	KindEJCFailure          = sim.KindEJCFailure
	KindEncryptionSuspected = sim.KindEncryptionSuspected
	KindExpireCredentials   = sim.KindExpireCredentials
	KindHTTPError           = sim.KindHTTPError
	KindHistoryShortfall    = sim.KindHistoryShortfall
	KindHugeBody            = sim.KindHugeBody
	KindJournalFill         = sim.KindJournalFill
	KindLatency             = sim.KindLatency
	KindMalformed           = sim.KindMalformed
	KindRPOBreach           = sim.KindRPOBreach
	KindRecoveryReport      = sim.KindRecoveryReport
	KindRepositoryFull      = sim.KindRepositoryFull
	KindScratchFill         = sim.KindScratchFill
	KindSet                 = sim.KindSet
	KindUnpair              = sim.KindUnpair
	KindVPGSubStatus        = sim.KindVPGSubStatus
	KindVRADown             = sim.KindVRADown
	KindZertoAlert          = sim.KindZertoAlert
	Protected               = sim.Protected
	Recovery                = sim.Recovery
	SimAzureAppKey          = sim.SimAzureAppKey
	SimS3SecretKey          = sim.SimS3SecretKey
	SimSMBPassword          = sim.SimSMBPassword
)
