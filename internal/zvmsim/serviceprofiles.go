package zvmsim

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Service profiles: /v1/serviceprofiles and the profile each VPG uses.

// serviceProfile is an entry of /v1/serviceprofiles.
type serviceProfile struct {
	id, name, description      string
	rpo, history, testInterval time.Duration
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
