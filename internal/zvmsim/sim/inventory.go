package sim

import "fmt"

// The hypervisor inventory of each site, as /v1/virtualizationsites serves it: the site's hosts
// are its VRAs' hosts, in one cluster, its datastores are the model's, and its VMs carry the NICs,
// network adapters and volumes of the 10.x VM APIs. It is derived from the model without random
// numbers, so that adding it changed none of the model.

// Inventory names shared by the hosts, the VRAs and the recovery reports.
const (
	VMNetworkName = "VM Network"
	FolderName    = "Zerto Recovery"
	ResourcePool  = "Resources"
	HostVersion   = "8.0.2"
)

// buildInventory gives every VM its 10.x native description and places the unprotected VMs on
// their site's hosts and datastores.
func (m *Model) buildInventory() {
	for r := range m.Rows {
		row := &m.Rows[r]
		row.Native = nativeVM(m.NetworkID(Protected), fmt.Sprintf("10.10.%d.%d", 100+r/250, 1+r%250), row.Disks)
	}
	for _, s := range m.Sites {
		hosts, stores := m.VrasOf(s.Role), m.DatastoresOf(s.Role)
		for i := range m.Unprotected[s.Role] {
			u := &m.Unprotected[s.Role][i]
			u.Host, u.Ds = hosts[i%len(hosts)], stores[i%len(stores)]
			u.Native = nativeVM(m.NetworkID(s.Role), fmt.Sprintf("10.%d.200.%d", 10*(1+int(s.Role)), 1+i%250), []string{"scsi:0:0"})
		}
	}
}

func nativeVM(network, ip string, disks []string) *WireVMNative10 {
	n := &WireVMNative10{
		Nics: []WireNic{{NicIdentifier: "Network adapter 1"}},
		VmNetworkInformation: WireVMNetwork{NetworkAdapters: []wireNetworkAdapter{{DisplayName: "Network adapter 1",
			IpAddresses: []string{ip}, NetworkIdentifier: network}}},
	}
	for _, d := range disks {
		n.Volumes = append(n.Volumes, WireVMVolume{PublicCloudVolumeIdentifier: &JSONNull, VmVolumeIdentifier: d})
	}
	return n
}

// NetworkID is the identifier of the site's one VM network, which its VRAs use too.
func (m *Model) NetworkID(r Role) string { return m.Sites[r].VcenterID + ".network-22" }

// VrasOf lists the indexes of site r's VRAs.
func (m *Model) VrasOf(r Role) []int {
	return indexesOf(m.Vras, func(a *vra) bool { return a.Role == r })
}

// DatastoresOf lists the indexes of site r's datastores.
func (m *Model) DatastoresOf(r Role) []int {
	return indexesOf(m.Datastores, func(d *datastore) bool { return d.Role == r })
}

// indexesOf lists the indexes of the elements of s that keep accepts.
func indexesOf[T any](s []T, keep func(*T) bool) []int {
	var out []int
	for i := range s {
		if keep(&s[i]) {
			out = append(out, i)
		}
	}
	return out
}

// ClusterID is the identifier of the site's one host cluster.
func (m *Model) ClusterID(r Role) string { return m.Sites[r].VcenterID + ".domain-c8" }
