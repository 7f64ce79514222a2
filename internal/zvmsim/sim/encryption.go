package sim

import (
	"fmt"
	"strconv"
)

// Encryption detection (Zerto 10, appliance only): /v1/encryptionDetection/state,
// /suspected/vpgs, /suspected/vms and /metrics/vpgs. Both ZVMs of the pair
// report the same suspicions, as they list the same VPGs.

// Suspicion levels the encryption_suspected fault accepts. The 10.0 U6 spec
// gives SuspicionLevel and TrendChangeLevel as bare integers; the simulator
// uses 1 (lowest) to 3 (highest) for a suspicion and 0 for none.
const (
	minSuspicionLevel     = 1
	maxSuspicionLevel     = 3
	DefaultSuspicionLevel = "3"
)

// BlocksPerMiB converts MB written into the 512-byte logical blocks in which
// Zerto counts encrypted and unencrypted data.
const BlocksPerMiB = Mib / 512

// EncryptionWindow is the span of writes one metrics/vpgs sample covers.
const EncryptionWindow = 60 // seconds

// BaselineEncryptedRatio is the share of writes that look encrypted on a
// healthy VM (compressed archives, TLS caches, encrypted files).
const BaselineEncryptedRatio = 0.02

// validateSuspicion checks an encryption_suspected fault and fills in its
// default level.
func (m *Model) validateSuspicion(f Fault) (Fault, error) {
	if f.VPG == "" {
		return f, fmt.Errorf("%s needs a vpg", f.Kind)
	}
	if _, ok := m.vpgByName(f.VPG); !ok {
		return f, fmt.Errorf("unknown VPG %q", f.VPG)
	}
	if f.Level == "" {
		f.Level = DefaultSuspicionLevel
	}
	if l, err := strconv.Atoi(f.Level); err != nil || l < minSuspicionLevel || l > maxSuspicionLevel {
		return f, fmt.Errorf("level %q is not a suspicion level (%d-%d)", f.Level, minSuspicionLevel, maxSuspicionLevel)
	}
	return f, nil
}

// Suspicion returns the suspicion level of VPG i, 0 when none. The highest
// of several faults on one VPG wins.
func (fx *effects) Suspicion(i int) int { return fx.Cyber.suspected[i] }
