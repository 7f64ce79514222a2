package sim

import (
	"fmt"
	"time"
)

// Coverage: the service profiles and the VMs each site leaves unprotected, generated from a random stream of their own, so that adding them
// changed none of the model the main stream builds.
const coverageStream = 500

// unprotectedVM is a VM of a site's vCenter that no VPG protects.
type unprotectedVM struct {
	ID, Name string
	Host     int // index of the VRA on the VM's host
	Ds       int // datastore index
	Native   *WireVMNative10
}

// buildCoverage adds the service profiles (Gold is used by every other VPG whose targets are
// Gold's; Bronze by none) and each site's unprotected VMs: templates and a few VMs per host.
func (m *Model) buildCoverage(hosts int) {
	g := NewGen(m.Seed, coverageStream)
	m.Profiles = []ServiceProfile{
		{ID: g.UUID(), Name: "Gold", Description: "Tier 1 applications", RPO: 5 * time.Minute, History: 24 * time.Hour, TestInterval: 30 * 24 * time.Hour},
		{ID: g.UUID(), Name: "Bronze", Description: "Best effort", RPO: 15 * time.Minute, History: 4 * time.Hour, TestInterval: 180 * 24 * time.Hour},
	}
	m.vpgProfile = make([]int, len(m.Vpgs))
	gold := m.Profiles[0]
	n := 0
	for i := range m.Vpgs {
		m.vpgProfile[i] = -1
		v := &m.Vpgs[i]
		if time.Duration(v.RPOTarget)*time.Second == gold.RPO && time.Duration(v.HistoryMin)*time.Minute == gold.History {
			if n%2 == 0 {
				m.vpgProfile[i] = 0
			}
			n++
		}
	}
	for _, s := range m.Sites {
		count := 2 + hosts + g.between(0, hosts)
		if s.Role == Recovery {
			count = 2 + g.between(0, 2)
		}
		for i := range count {
			name := fmt.Sprintf("%s-vm%03d", map[Role]string{Protected: "bos", Recovery: "den"}[s.Role], i+1)
			if templates := []string{"win2022-template", "ubuntu24-template"}; i < len(templates) {
				name = templates[i]
			}
			m.Unprotected[s.Role] = append(m.Unprotected[s.Role], unprotectedVM{ID: fmt.Sprintf("%s.vm-%d", s.VcenterID, 9000+i), Name: name})
		}
	}
}
