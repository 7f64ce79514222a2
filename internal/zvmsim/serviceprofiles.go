package zvmsim

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

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

func (v *view) serviceProfileLink(p *sim.ServiceProfile) wireLink {
	return v.link("/v1/serviceprofiles/"+p.ID, p.ID, "ServiceProfileApi")
}

// serviceProfileFilter: siteIdentifier. Both sites list the pair's profiles; another site has none.
func (v *view) serviceProfileFilter(q url.Values) (func(int) bool, error) {
	id := queryValue(q, "siteIdentifier")
	if id == "" {
		return nil, nil
	}
	mine := strings.EqualFold(id, v.m.Sites[sim.Protected].ID) || strings.EqualFold(id, v.m.Sites[sim.Recovery].ID)
	return func(int) bool { return mine }, nil
}

func (v *view) serviceProfiles() error {
	v.out.open()
	for i := range v.m.Profiles {
		if !v.keep(i) {
			continue
		}
		p := &v.m.Profiles[i]
		w := wireServiceProfile{Description: p.Description, History: timeSpan(p.History), JournalWarningThresholdInPercent: 75,
			Link: v.serviceProfileLink(p), MaxJournalSizeInPercent: 150, Rpo: timeSpan(p.RPO), ServiceProfileName: p.Name,
			TestInterval: timeSpan(p.TestInterval)}
		if v.windows {
			w.ServiceProfileIdentifier = p.ID
		}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}
