package zvmsim

import (
	"fmt"
	"strings"
)

// The hypervisor inventory of each site, as /v1/virtualizationsites serves it: the site's hosts
// are its VRAs' hosts, in one cluster, its datastores are the model's, and its VMs carry the NICs,
// network adapters and volumes of the 10.x VM APIs. It is derived from the model without random
// numbers, so that adding it changed none of the model.

// Inventory names shared by the hosts, the VRAs and the recovery reports.
const (
	vmNetworkName = "VM Network"
	folderName    = "Zerto Recovery"
	resourcePool  = "Resources"
	hostVersion   = "8.0.2"
)

// buildInventory gives every VM its 10.x native description and places the unprotected VMs on
// their site's hosts and datastores.
func (m *model) buildInventory() {
	for r := range m.rows {
		row := &m.rows[r]
		row.native = nativeVM(m.networkID(Protected), fmt.Sprintf("10.10.%d.%d", 100+r/250, 1+r%250), row.disks)
	}
	for _, s := range m.sites {
		hosts, stores := m.vrasOf(s.role), m.datastoresOf(s.role)
		for i := range m.unprotected[s.role] {
			u := &m.unprotected[s.role][i]
			u.host, u.ds = hosts[i%len(hosts)], stores[i%len(stores)]
			u.native = nativeVM(m.networkID(s.role), fmt.Sprintf("10.%d.200.%d", 10*(1+int(s.role)), 1+i%250), []string{"scsi:0:0"})
		}
	}
}

func nativeVM(network, ip string, disks []string) *wireVMNative10 {
	n := &wireVMNative10{
		Nics: []wireNic{{NicIdentifier: "Network adapter 1"}},
		VmNetworkInformation: wireVMNetwork{NetworkAdapters: []wireNetworkAdapter{{DisplayName: "Network adapter 1",
			IpAddresses: []string{ip}, NetworkIdentifier: network}}},
	}
	for _, d := range disks {
		n.Volumes = append(n.Volumes, wireVMVolume{PublicCloudVolumeIdentifier: &jsonNull, VmVolumeIdentifier: d})
	}
	return n
}

// networkID is the identifier of the site's one VM network, which its VRAs use too.
func (m *model) networkID(r Role) string { return m.sites[r].vcenterID + ".network-22" }

func (m *model) vrasOf(r Role) []int {
	var out []int
	for i := range m.vras {
		if m.vras[i].role == r {
			out = append(out, i)
		}
	}
	return out
}

func (m *model) datastoresOf(r Role) []int {
	var out []int
	for i := range m.datastores {
		if m.datastores[i].role == r {
			out = append(out, i)
		}
	}
	return out
}

type wireVirtualizationSite struct {
	SiteIdentifier         string `json:"SiteIdentifier"`
	VirtualizationSiteName string `json:"VirtualizationSiteName"`
}

type wireNativeDatastore struct {
	DatastoreIdentifier    string               `json:"DatastoreIdentifier"`
	DatastoreName          string               `json:"DatastoreName"`
	OwningDatastoreCluster wireDatastoreCluster `json:"OwningDatastoreCluster"`
}

type wireNativeNetwork struct {
	NetworkIdentifier         string `json:"NetworkIdentifier"`
	VirtualizationNetworkName string `json:"VirtualizationNetworkName"`
}

type wireBaseHost struct {
	ConnectionStatus       string `json:"ConnectionStatus"`
	HostIdentifier         string `json:"HostIdentifier"`
	HostVersion            string `json:"HostVersion"`
	VirtualizationHostName string `json:"VirtualizationHostName"`
}

type wireNativeHost struct {
	AssociatedDatastores []wireNativeDatastore `json:"AssociatedDatastores"`
	AssociatedNetworks   []wireNativeNetwork   `json:"AssociatedNetworks"`
	wireBaseHost
}

type wireHostCluster struct {
	AssociatedHosts           []wireBaseHost `json:"AssociatedHosts"`
	ClusterIdentifier         string         `json:"ClusterIdentifier"`
	VirtualizationClusterName string         `json:"VirtualizationClusterName"`
}

type wireFolder struct {
	FolderIdentifier string `json:"FolderIdentifier"`
	FolderName       string `json:"FolderName"`
}

type wireResourcePool struct {
	ResourcePoolIdentifier string `json:"ResourcePoolIdentifier"`
	ResourcepoolName       string `json:"ResourcepoolName"`
}

type wireNativeRepository struct {
	ConnectionType       string `json:"ConnectionType"`
	Path                 string `json:"Path"`
	RepositoryIdentifier string `json:"RepositoryIdentifier"`
	RepositoryName       string `json:"RepositoryName"`
	StorageType          string `json:"StorageType"`
}

type wirePerfInfo struct {
	CpuCoresNum            int   `json:"CpuCoresNum"`
	MemorySizeInMB         int   `json:"MemorySizeInMB"`
	ProvisionedStorageInMB int64 `json:"ProvisionedStorageInMB"`
	UsedStorageInMB        int64 `json:"UsedStorageInMB"`
}

// wireSiteVM is an element of /v1/virtualizationsites/{siteIdentifier}/vms: the Windows ZVM sends
// the identifier and name only.
type wireSiteVM struct {
	GuestOs                   string        `json:"GuestOs,omitempty"`
	OwningDatastoreIdentifier string        `json:"OwningDatastoreIdentifier,omitempty"`
	OwningDatastoreName       string        `json:"OwningDatastoreName,omitempty"`
	OwningHostIdentifier      string        `json:"OwningHostIdentifier,omitempty"`
	OwningHostName            string        `json:"OwningHostName,omitempty"`
	VmIdentifier              string        `json:"VmIdentifier"`
	VmInstanceIdentifier      string        `json:"VmInstanceIdentifier,omitempty"`
	VmName                    string        `json:"VmName"`
	VmPerfMetricInfo          *wirePerfInfo `json:"VmPerfMetricInfo,omitempty"`
	*wireVMNative10
}

// clusterID is the identifier of the site's one host cluster.
func (m *model) clusterID(r Role) string { return m.sites[r].vcenterID + ".domain-c8" }

func (v *view) virtualizationSite(r Role) wireVirtualizationSite {
	s := &v.m.sites[r]
	return wireVirtualizationSite{SiteIdentifier: s.id, VirtualizationSiteName: "vcsa-" + strings.ToLower(s.location[:strings.IndexByte(s.location, ',')]) + ".example.com"}
}

func (v *view) virtualizationSites() error {
	return v.out.value([]wireVirtualizationSite{v.virtualizationSite(Protected), v.virtualizationSite(Recovery)})
}

// siteVMs serves /v1/virtualizationsites/{siteIdentifier}/vms for site r: the VMs that site
// leaves unprotected, with the 10.x fields on the appliance.
func (v *view) siteVMs(r Role) error {
	v.out.open()
	for i := range v.m.unprotected[r] {
		u := &v.m.unprotected[r][i]
		w := wireSiteVM{VmIdentifier: u.id, VmName: u.name}
		if !v.windows {
			host, ds := &v.m.vras[u.host], &v.m.datastores[u.ds]
			w.GuestOs, w.VmInstanceIdentifier, w.wireVMNative10 = guestOSes[i%len(guestOSes)], u.id, u.native
			w.OwningHostIdentifier, w.OwningHostName = host.hostID, host.host
			w.OwningDatastoreIdentifier, w.OwningDatastoreName = ds.id, ds.name
			w.VmPerfMetricInfo = &wirePerfInfo{CpuCoresNum: 2, MemorySizeInMB: 4096, ProvisionedStorageInMB: 40960, UsedStorageInMB: 20480}
		}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}

func (v *view) nativeDatastores(r Role) []wireNativeDatastore {
	out := []wireNativeDatastore{}
	for _, i := range v.m.datastoresOf(r) {
		d := &v.m.datastores[i]
		out = append(out, wireNativeDatastore{DatastoreIdentifier: d.id, DatastoreName: d.name})
	}
	return out
}

func (v *view) nativeNetworks(r Role) []wireNativeNetwork {
	return []wireNativeNetwork{{NetworkIdentifier: v.m.networkID(r), VirtualizationNetworkName: vmNetworkName}}
}

func (v *view) baseHost(i int) wireBaseHost {
	a := &v.m.vras[i]
	return wireBaseHost{ConnectionStatus: "Connected", HostIdentifier: a.hostID, HostVersion: hostVersion, VirtualizationHostName: a.host}
}

func (v *view) nativeHost(r Role, i int) wireNativeHost {
	return wireNativeHost{AssociatedDatastores: v.nativeDatastores(r), AssociatedNetworks: v.nativeNetworks(r), wireBaseHost: v.baseHost(i)}
}

func (v *view) siteHosts(r Role) error {
	out := []wireNativeHost{}
	for _, i := range v.m.vrasOf(r) {
		out = append(out, v.nativeHost(r, i))
	}
	return v.out.value(out)
}

func (v *view) siteHostClusters(r Role) error {
	c := wireHostCluster{AssociatedHosts: []wireBaseHost{}, ClusterIdentifier: v.m.clusterID(r),
		VirtualizationClusterName: v.virtualizationClusterName(r)}
	for _, i := range v.m.vrasOf(r) {
		c.AssociatedHosts = append(c.AssociatedHosts, v.baseHost(i))
	}
	return v.out.value([]wireHostCluster{c})
}

func (v *view) virtualizationClusterName(r Role) string {
	return strings.ToLower(v.m.sites[r].name) + "-cluster"
}

func (v *view) siteFolders(r Role) error {
	return v.out.value([]wireFolder{{FolderIdentifier: v.m.sites[r].vcenterID + ".group-v4", FolderName: folderName}})
}

func (v *view) siteResourcePools(r Role) error {
	return v.out.value([]wireResourcePool{{ResourcePoolIdentifier: v.m.sites[r].vcenterID + ".resgroup-9", ResourcepoolName: resourcePool}})
}

// siteRepositories lists the Extended Journal Copy repositories, which the recovery site holds.
func (v *view) siteRepositories(r Role) error {
	out := []wireNativeRepository{}
	for i := range repositories {
		if r != Recovery {
			break
		}
		repo := &repositories[i]
		out = append(out, wireNativeRepository{ConnectionType: fmt.Sprint(repo.connectionType), Path: repo.name,
			RepositoryIdentifier: repo.id, RepositoryName: repo.name, StorageType: fmt.Sprint(repo.storageType)})
	}
	return v.out.value(out)
}
