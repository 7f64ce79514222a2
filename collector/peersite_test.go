package collector

import "testing"

// Hand-checked conversions of the fixture's /v1/peersites: MiB and MiB/s to bytes, the pairing
// status as a state set.
func TestPeerSiteConversions(t *testing.T) {
	mfs := scrapeAll(t, richSnapshot(t), nil, "peersite")
	peer := func(name string) map[string]string { return map[string]string{"peer_site": name} }
	expectSamples(t, mfs,
		wantSample{"zerto_peer_site_storage_provisioned_bytes", peer("Chicago-DR"), 614400 * 1048576},
		wantSample{"zerto_peer_site_incoming_throughput_bytes_per_second", peer("Chicago-DR"), 3.25 * 1048576},
		wantSample{"zerto_peer_site_outgoing_bandwidth_bytes_per_second", peer("Chicago-DR"), 6.0009765625 * 1048576},
		wantSample{"zerto_peer_site_pairing_status", map[string]string{"peer_site": "Chicago-DR", "status": "Paired"}, 1},    // 0
		wantSample{"zerto_peer_site_pairing_status", map[string]string{"peer_site": "Dallas-Cloud", "status": "Pairing"}, 1}, // 1
		wantSample{"zerto_peer_site_pairing_status", map[string]string{"peer_site": "Dallas-Cloud", "status": "Paired"}, 0},
	)
}
