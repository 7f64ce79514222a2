package collector

import (
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

func TestSiteRole(t *testing.T) {
	mfs := scrapeAll(t, richSnapshot(t), nil, "vpg")
	for _, c := range []struct{ id, role, protected, recovery string }{
		{erpID, roleProtected, "Boston-DC", "Chicago-DR"},    // link to the local site; 10.x names
		{webID, roleProtected, "Boston-DC", "Dallas-Cloud"},  // no link: SourceSite is the local site's name
		{financeID, roleRecovery, "Chicago-DR", "Boston-DC"}, // names resolved from the links
	} {
		ms := find(mfs, "zerto_vpg_info", map[string]string{"vpg_id": c.id})
		if len(ms) != 1 {
			t.Fatalf("vpg %s: %d info series", c.id, len(ms))
		}
		l := labelsOf(ms[0])
		if l["site_role"] != c.role || l["protected_site"] != c.protected || l["recovery_site"] != c.recovery {
			t.Errorf("vpg %s: site_role=%q protected_site=%q recovery_site=%q, want %q %q %q",
				c.id, l["site_role"], l["protected_site"], l["recovery_site"], c.role, c.protected, c.recovery)
		}
	}

	// The same VPGs seen from the peer: the roles flip.
	snap := richSnapshot(t)
	snap.LocalSite = &zvm.LocalSite{SiteIdentifier: "c4e8f0a3-5d21-4b7a-8e9c-0a1b2c3d4e02", SiteName: "Chicago-DR"}
	mfs = scrapeAll(t, snap, nil, "vpg")
	for id, role := range map[string]string{erpID: roleRecovery, webID: roleRecovery, financeID: roleProtected} {
		if got := labelsOf(find(mfs, "zerto_vpg_info", map[string]string{"vpg_id": id})[0])["site_role"]; got != role {
			t.Errorf("from Chicago-DR, vpg %s: site_role=%q, want %q", id, got, role)
		}
	}
}

// The fixture's /v1/localsite bandwidth throttling, in MiB/s, as bytes per second.
func TestSiteConversions(t *testing.T) {
	mfs := scrapeAll(t, richSnapshot(t), fixtureSLA, "site")
	expectSamples(t, mfs, wantSample{"zerto_site_bandwidth_throttling_bytes_per_second", nil, 12.5 * 1048576})
}
