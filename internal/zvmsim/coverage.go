package zvmsim

import (
	"fmt"
	"time"
)

// Coverage: the service profiles (serviceprofiles.go) and the VMs each site leaves unprotected
// (inventory.go serves them), generated from a random stream of their own, so that adding them
// changed none of the model the main stream builds.
const coverageStream = 500

// unprotectedVM is a VM of a site's vCenter that no VPG protects.
type unprotectedVM struct {
	id, name string
	host     int // index of the VRA on the VM's host
	ds       int // datastore index
	native   *wireVMNative10
}

// buildCoverage adds the service profiles (Gold is used by every other VPG whose targets are
// Gold's; Bronze by none) and each site's unprotected VMs: templates and a few VMs per host.
func (m *model) buildCoverage(hosts int) {
	g := newGen(m.seed, coverageStream)
	m.profiles = []serviceProfile{
		{id: g.uuid(), name: "Gold", description: "Tier 1 applications", rpo: 5 * time.Minute, history: 24 * time.Hour, testInterval: 30 * 24 * time.Hour},
		{id: g.uuid(), name: "Bronze", description: "Best effort", rpo: 15 * time.Minute, history: 4 * time.Hour, testInterval: 180 * 24 * time.Hour},
	}
	m.vpgProfile = make([]int, len(m.vpgs))
	gold := m.profiles[0]
	n := 0
	for i := range m.vpgs {
		m.vpgProfile[i] = -1
		v := &m.vpgs[i]
		if time.Duration(v.rpoTarget)*time.Second == gold.rpo && time.Duration(v.historyMin)*time.Minute == gold.history {
			if n%2 == 0 {
				m.vpgProfile[i] = 0
			}
			n++
		}
	}
	for _, s := range m.sites {
		count := 2 + hosts + g.between(0, hosts)
		if s.role == Recovery {
			count = 2 + g.between(0, 2)
		}
		for i := range count {
			name := fmt.Sprintf("%s-vm%03d", map[Role]string{Protected: "bos", Recovery: "den"}[s.role], i+1)
			if templates := []string{"win2022-template", "ubuntu24-template"}; i < len(templates) {
				name = templates[i]
			}
			m.unprotected[s.role] = append(m.unprotected[s.role], unprotectedVM{id: fmt.Sprintf("%s.vm-%d", s.vcenterID, 9000+i), name: name})
		}
	}
}
