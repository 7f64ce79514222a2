package sim

import "time"

// Service profiles: /v1/serviceprofiles and the profile each VPG uses.

// ServiceProfile is an entry of /v1/serviceprofiles.
type ServiceProfile struct {
	ID, Name, Description      string
	RPO, History, TestInterval time.Duration
}

// ProfileOf returns the service profile VPG i uses, or nil.
func (m *Model) ProfileOf(i int) *ServiceProfile {
	if i >= len(m.vpgProfile) || m.vpgProfile[i] < 0 {
		return nil
	}
	return &m.Profiles[m.vpgProfile[i]]
}
