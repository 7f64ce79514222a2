package zvmsim

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Coverage and hygiene: service profiles, the VMs each site leaves unprotected, and the ZVM's
// clock. They are generated from a random stream of their own, so that adding them changed none
// of the model the main stream builds.
const coverageStream = 500

// serviceProfile is an entry of /v1/serviceprofiles.
type serviceProfile struct {
	id, name, description      string
	rpo, history, testInterval time.Duration
}

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

// profileOf returns the service profile VPG i uses, or nil.
func (m *model) profileOf(i int) *serviceProfile {
	if i >= len(m.vpgProfile) || m.vpgProfile[i] < 0 {
		return nil
	}
	return &m.profiles[m.vpgProfile[i]]
}

// timeSpan formats d as a .NET TimeSpan, [d.]hh:mm:ss, the way the ZVM's JSON sends one.
func timeSpan(d time.Duration) string {
	days := int(d / (24 * time.Hour))
	d -= time.Duration(days) * 24 * time.Hour
	s := fmt.Sprintf("%02d:%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second))
	if days > 0 {
		s = fmt.Sprintf("%d.%s", days, s)
	}
	return s
}

func (v *view) serviceProfileLink(p *serviceProfile) wireLink {
	return v.link("/v1/serviceprofiles/"+p.id, p.id, "ServiceProfileApi")
}

// serviceProfileFilter: siteIdentifier. Both sites list the pair's profiles; another site has none.
func (v *view) serviceProfileFilter(q url.Values) (func(int) bool, error) {
	id := queryValue(q, "siteIdentifier")
	if id == "" {
		return nil, nil
	}
	mine := strings.EqualFold(id, v.m.sites[Protected].id) || strings.EqualFold(id, v.m.sites[Recovery].id)
	return func(int) bool { return mine }, nil
}

func (v *view) serviceProfiles() error {
	v.out.open()
	for i := range v.m.profiles {
		if !v.keep(i) {
			continue
		}
		p := &v.m.profiles[i]
		w := wireServiceProfile{Description: p.description, History: timeSpan(p.history), JournalWarningThresholdInPercent: 75,
			Link: v.serviceProfileLink(p), MaxJournalSizeInPercent: 150, Rpo: timeSpan(p.rpo), ServiceProfileName: p.name,
			TestInterval: timeSpan(p.testInterval)}
		if v.windows {
			w.ServiceProfileIdentifier = p.id
		}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}

// serverTimeUTC serves /v1/serverDateTime/serverDateTimeUtc: the site's clock, off by a
// clock_skew fault, as a JSON string.
func (v *view) serverTimeUTC() error {
	return v.out.value(isoTime(v.now.Add(v.m.fx.clockSkew[v.role])))
}

// serverTimeLocal serves /v1/serverDateTime/serverDateTimeLocal: the same clock in the site's
// time zone: with its offset on the appliance (the spec's date-time), without one on Windows.
func (v *view) serverTimeLocal() error {
	s := &v.m.sites[v.role]
	t := v.now.Add(v.m.fx.clockSkew[v.role]).UTC().Add(time.Duration(s.utcOffset) * time.Minute)
	if v.windows {
		return v.out.value(t.Format("2006-01-02T15:04:05.000"))
	}
	return v.out.value(t.Format("2006-01-02T15:04:05.000") + offsetSuffix(s.utcOffset))
}

// offsetSuffix is a UTC offset in minutes as ISO 8601 writes it: -05:00.
func offsetSuffix(minutes int) string {
	sign := "+"
	if minutes < 0 {
		sign, minutes = "-", -minutes
	}
	return fmt.Sprintf("%s%02d:%02d", sign, minutes/60, minutes%60)
}
