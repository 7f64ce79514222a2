package sim

import "time"

// scratchTestFill is how full a failover test leaves its scratch volumes at its end.
const scratchTestFill = 0.3

// ScratchRatio is how full VPG i's scratch volumes are at now, and whether it has any: a failover
// test writes its test VMs' changes to scratch volumes at the recovery site, filling them to
// scratchTestFill over the test; a scratch_fill fault gives the VPG scratch volumes at its ratio.
func (m *Model) ScratchRatio(i int, now time.Time) (float64, bool) {
	if r, ok := m.Fx.scratch[i]; ok {
		return r, true
	}
	if k, since, ok := m.RunningTest(now); ok && m.TestedVPG(k) == i {
		return scratchTestFill * min(1, now.Sub(since).Seconds()/TestLength.Seconds()), true
	}
	return 0, false
}

// ScratchSize is the provisioned and used bytes of row r's scratch volume at ratio: it may grow
// to the VM's journal hard limit (its provisioned size for an unlimited journal).
func (m *Model) ScratchSize(r int, ratio float64) WireUsage {
	row := &m.Rows[r]
	provisioned := int64(row.Hard.ResolveMB(row.ProvisionedMB)) * Mib
	return WireUsage{ProvisionedInBytes: provisioned, UsedInBytes: int64(ratio * float64(provisioned))}
}
