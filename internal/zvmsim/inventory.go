package zvmsim

import (
	"fmt"
	"strings"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

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
	*sim.WireVMNative10
}

func (v *view) virtualizationSite(r sim.Role) wireVirtualizationSite {
	s := &v.m.Sites[r]
	return wireVirtualizationSite{SiteIdentifier: s.ID, VirtualizationSiteName: "vcsa-" + strings.ToLower(s.Location[:strings.IndexByte(s.Location, ',')]) + ".example.com"}
}

func (v *view) virtualizationSites() error {
	return v.out.value([]wireVirtualizationSite{v.virtualizationSite(sim.Protected), v.virtualizationSite(sim.Recovery)})
}

// siteVMs serves /v1/virtualizationsites/{siteIdentifier}/vms for site r: the VMs that site
// leaves unprotected, with the 10.x fields on the appliance.
func (v *view) siteVMs(r sim.Role) error {
	v.out.open()
	for i := range v.m.Unprotected[r] {
		u := &v.m.Unprotected[r][i]
		w := wireSiteVM{VmIdentifier: u.ID, VmName: u.Name}
		if !v.windows {
			host, ds := &v.m.Vras[u.Host], &v.m.Datastores[u.Ds]
			w.GuestOs, w.VmInstanceIdentifier, w.WireVMNative10 = sim.GuestOSes[i%len(sim.GuestOSes)], u.ID, u.Native
			w.OwningHostIdentifier, w.OwningHostName = host.HostID, host.Host
			w.OwningDatastoreIdentifier, w.OwningDatastoreName = ds.ID, ds.Name
			w.VmPerfMetricInfo = &wirePerfInfo{CpuCoresNum: 2, MemorySizeInMB: 4096, ProvisionedStorageInMB: 40960, UsedStorageInMB: 20480}
		}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}

func (v *view) nativeDatastores(r sim.Role) []wireNativeDatastore {
	out := []wireNativeDatastore{}
	for _, i := range v.m.DatastoresOf(r) {
		d := &v.m.Datastores[i]
		out = append(out, wireNativeDatastore{DatastoreIdentifier: d.ID, DatastoreName: d.Name})
	}
	return out
}

func (v *view) nativeNetworks(r sim.Role) []wireNativeNetwork {
	return []wireNativeNetwork{{NetworkIdentifier: v.m.NetworkID(r), VirtualizationNetworkName: sim.VMNetworkName}}
}

func (v *view) baseHost(i int) wireBaseHost {
	a := &v.m.Vras[i]
	return wireBaseHost{ConnectionStatus: "Connected", HostIdentifier: a.HostID, HostVersion: sim.HostVersion, VirtualizationHostName: a.Host}
}

func (v *view) nativeHost(r sim.Role, i int) wireNativeHost {
	return wireNativeHost{AssociatedDatastores: v.nativeDatastores(r), AssociatedNetworks: v.nativeNetworks(r), wireBaseHost: v.baseHost(i)}
}

func (v *view) siteHosts(r sim.Role) error {
	out := []wireNativeHost{}
	for _, i := range v.m.VrasOf(r) {
		out = append(out, v.nativeHost(r, i))
	}
	return v.out.value(out)
}

func (v *view) siteHostClusters(r sim.Role) error {
	c := wireHostCluster{AssociatedHosts: []wireBaseHost{}, ClusterIdentifier: v.m.ClusterID(r),
		VirtualizationClusterName: v.virtualizationClusterName(r)}
	for _, i := range v.m.VrasOf(r) {
		c.AssociatedHosts = append(c.AssociatedHosts, v.baseHost(i))
	}
	return v.out.value([]wireHostCluster{c})
}

func (v *view) virtualizationClusterName(r sim.Role) string {
	return strings.ToLower(v.m.Sites[r].Name) + "-cluster"
}

func (v *view) siteFolders(r sim.Role) error {
	return v.out.value([]wireFolder{{FolderIdentifier: v.m.Sites[r].VcenterID + ".group-v4", FolderName: sim.FolderName}})
}

func (v *view) siteResourcePools(r sim.Role) error {
	return v.out.value([]wireResourcePool{{ResourcePoolIdentifier: v.m.Sites[r].VcenterID + ".resgroup-9", ResourcepoolName: sim.ResourcePool}})
}

// siteRepositories lists the Extended Journal Copy repositories, which the recovery site holds.
func (v *view) siteRepositories(r sim.Role) error {
	out := []wireNativeRepository{}
	for i := range sim.Repositories {
		if r != sim.Recovery {
			break
		}
		repo := &sim.Repositories[i]
		out = append(out, wireNativeRepository{ConnectionType: fmt.Sprint(repo.ConnectionType), Path: repo.Name,
			RepositoryIdentifier: repo.ID, RepositoryName: repo.Name, StorageType: fmt.Sprint(repo.StorageType)})
	}
	return v.out.value(out)
}
