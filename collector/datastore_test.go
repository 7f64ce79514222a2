package collector

import "testing"

// Hand-checked conversions of the fixture's /v1/datastores: bytes as sent, a measured 0 kept,
// and absent rather than zero where the ZVM gives no value or Zerto does not use the datastore.
func TestDatastoreConversions(t *testing.T) {
	mfs := scrapeAll(t, richSnapshot(t), nil, "datastore")
	ds := func(name string) map[string]string { return map[string]string{"datastore": name} }
	expectSamples(t, mfs,
		wantSample{"zerto_datastore_capacity_bytes", ds("ds-boston-01"), 4 << 40},
		wantSample{"zerto_datastore_free_bytes", ds("ds-boston-01"), 1 << 40},
		wantSample{"zerto_datastore_free_bytes", ds("ds-boston-03"), 0}, // a measured 0
		wantSample{"zerto_datastore_zerto_used_bytes", map[string]string{"datastore": "ds-boston-01", "usage": "journal"}, 150 << 30},
		wantSample{"zerto_datastore_health_status", map[string]string{"datastore": "ds-boston-01", "status": "Normal"}, 1},
	)
	absent(t, mfs, "zerto_datastore_capacity_bytes", ds("ds-boston-iso"))                     // unused by Zerto
	absent(t, mfs, "zerto_datastore_free_bytes", ds("ds-boston-02"))                          // null
	absent(t, mfs, "zerto_datastore_zerto_used_bytes", map[string]string{"usage": "scratch"}) // null
	absent(t, mfs, "zerto_datastore_health_status", ds("ds-boston-02"))                       // Health null
}
