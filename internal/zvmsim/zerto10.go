package zvmsim

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Reads only a ZVM appliance (Zerto 10) serves beyond the protection objects: the login banner,
// VRA cluster settings and recovery-VRA candidates, the resources report, the collections the
// simulated vSphere estate leaves empty, and the paths it cannot answer.

type wireLoginBanner struct {
	IsLoginBannerEnabled bool    `json:"IsLoginBannerEnabled"`
	LoginBanner          *string `json:"LoginBanner"`
}

// loginBanner serves /v1/localsite/settings/loginBanner: no banner, as /v1/localsite says.
func (v *view) loginBanner() error { return v.out.value(wireLoginBanner{}) }

type wireVraClusterSettings struct {
	AutoPopulatePostInstalltion      bool           `json:"AutoPopulatePostInstalltion"`
	ClusterDesiredState              int            `json:"ClusterDesiredState"`
	ClusterIdentifier                string         `json:"ClusterIdentifier"`
	ClusterName                      string         `json:"ClusterName"`
	ClusterStatus                    int            `json:"ClusterStatus"`
	DatastoreIdentifier              string         `json:"DatastoreIdentifier"`
	GroupName                        string         `json:"GroupName"`
	HostRootPassword                 *string        `json:"HostRootPassword"`
	IsVaio                           bool           `json:"IsVaio"`
	MemoryInGb                       int            `json:"MemoryInGb"`
	NetworkIdentifier                string         `json:"NetworkIdentifier"`
	NumOfCpus                        int            `json:"NumOfCpus"`
	UsePublicKeyInsteadOfCredentials bool           `json:"UsePublicKeyInsteadOfCredentials"`
	VraNetworkDataApi                wireVraNetwork `json:"VraNetworkDataApi"`
}

// vraClusterSettings serves /v1/vras/clusters/{clusterIdentifier}/settings for site r's one
// cluster: the settings of its first VRA.
func (v *view) vraClusterSettings(r Role) error {
	a := &v.m.vras[v.m.vrasOf(r)[0]]
	return v.out.value(wireVraClusterSettings{ClusterIdentifier: v.m.clusterID(r),
		ClusterName: v.virtualizationClusterName(r), DatastoreIdentifier: v.m.datastores[a.ds].id, GroupName: vraGroup,
		MemoryInGb: a.memoryGB, NetworkIdentifier: v.m.networkID(r), NumOfCpus: a.cpus, UsePublicKeyInsteadOfCredentials: true,
		VraNetworkDataApi: wireVraNetwork{DefaultGateway: a.gateway, SubnetMask: "255.255.255.0", VraIPAddressRangeEnd: &jsonNull,
			VraIPConfigurationTypeApi: vraIPConfigNames[vraIPStatic]}})
}

type wireHostCandidate struct {
	HostIdentifier string `json:"HostIdentifier"`
	HostName       string `json:"HostName"`
}

// recoveryVRAPotentials serves /v1/vras/{vraIdentifier}/changerecoveryvra/potentials: the other
// hosts of the VRA's site.
func (v *view) recoveryVRAPotentials(i int) error {
	out := []wireHostCandidate{}
	for _, j := range v.m.vrasOf(v.m.vras[i].role) {
		if j != i {
			out = append(out, wireHostCandidate{HostIdentifier: v.m.vras[j].hostID, HostName: v.m.vras[j].host})
		}
	}
	return v.out.value(out)
}

// emptyList answers a collection the simulated estate has no element of.
func emptyList(v *view) error { return v.out.value([]struct{}{}) }

// noObject answers an element of such a collection.
func noObject(what string) objectRoute {
	return func(_ *view, id string, _ url.Values) error {
		return notFoundf("%s with identifier '%s' was not found.", what, id)
	}
}

// wireResourceSample is an element of /v1/reports/resources.
type wireResourceSample struct {
	Performance struct {
		BandwidthInBps  float64 `json:"BandwidthInBps"`
		ThroughputInBps float64 `json:"ThroughputInBps"`
	} `json:"Performance"`
	ProtectedSite wireResourceProtected `json:"ProtectedSite"`
	RecoverySite  wireResourceRecovery  `json:"RecoverySite"`
	SampleTime    string                `json:"SampleTime"`
	Vpg           wireResourceVpg       `json:"Vpg"`
}

type wireResourceVpg struct {
	CrmIdentifier            string  `json:"CrmIdentifier"`
	ProtectedAndRecoveryType string  `json:"ProtectedAndRecoveryType"`
	ServiceProfileName       *string `json:"ServiceProfileName"`
	VpgName                  string  `json:"VpgName"`
	ZorgName                 *string `json:"ZorgName"`
}

type wireResourceCompute struct {
	ClusterName      string  `json:"ClusterName"`
	HostName         string  `json:"HostName"`
	OrgVdcName       *string `json:"OrgVdcName"`
	ResourcePoolName string  `json:"ResourcePoolName"`
	VraName          string  `json:"VraName"`
}

type wireResourceProtected struct {
	Compute wireResourceCompute `json:"Compute"`
	Storage struct {
		NumberOfVolumes               int     `json:"NumberOfVolumes"`
		VolumesProvisionedStorageInGB float64 `json:"VolumesProvisionedStorageInGB"`
		VolumesUsedStorageInGB        float64 `json:"VolumesUsedStorageInGB"`
	} `json:"Storage"`
	SiteName   string  `json:"SiteName"`
	VcdOrgName *string `json:"VcdOrgName"`
	VmInfo     struct {
		Cpu struct {
			CpuLimitationInMhz int `json:"CpuLimitationInMhz"`
			CpuReservedInMhz   int `json:"CpuReservedInMhz"`
			CpuUsedInMhz       int `json:"CpuUsedInMhz"`
			NumberOfvCpus      int `json:"NumberOfvCpus"`
		} `json:"Cpu"`
		HardwareVersion string `json:"HardwareVersion"`
		Memory          struct {
			ActiveGuestMemoryInMB  int64 `json:"ActiveGuestMemoryInMB"`
			ConsumedHostMemoryInMB int64 `json:"ConsumedHostMemoryInMB"`
			MemoryInMB             int   `json:"MemoryInMB"`
			MemoryLimitationInMB   int   `json:"MemoryLimitationInMB"`
			MemoryReservedInMB     int   `json:"MemoryReservedInMB"`
		} `json:"Memory"`
		VmIdentifier string `json:"VmIdentifier"`
		VmName       string `json:"VmName"`
	} `json:"VmInfo"`
}

type wireResourceRecovery struct {
	Compute struct {
		wireResourceCompute
		FailoverOrMoveInstanceFamily *string `json:"FailoverOrMoveInstanceFamily"`
		FailoverOrMoveInstanceType   *string `json:"FailoverOrMoveInstanceType"`
		FailoverTestInstanceFamily   *string `json:"FailoverTestInstanceFamily"`
		FailoverTestInstanceType     *string `json:"FailoverTestInstanceType"`
	} `json:"Compute"`
	SiteName string `json:"SiteName"`
	Storage  struct {
		DatastoreName                 string  `json:"DatastoreName"`
		JournalProvisionedStorageInGB float64 `json:"JournalProvisionedStorageInGB"`
		JournalUsedStorageInGB        float64 `json:"JournalUsedStorageInGB"`
		StoragePolicyName             *string `json:"StoragePolicyName"`
		VolumesProvisionedStorageInGB float64 `json:"VolumesProvisionedStorageInGB"`
		VolumesUsedStorageInGB        float64 `json:"VolumesUsedStorageInGB"`
	} `json:"Storage"`
	VcdOrgName *string `json:"VcdOrgName"`
}

// resourceReport serves /v1/reports/resources: one sample per VM row, taken at the last whole
// hour, from the simulated throughput and storage, filtered by the names of its members, by
// startTime and endTime on the sample time, and paged as the recovery reports.
func (v *view) resourceReport(q url.Values) error {
	sample := v.now.Truncate(time.Hour)
	prot, rec := v.m.sites[Protected].name, v.m.sites[Recovery].name
	page, size, err := parsePage(q)
	if err != nil {
		return err
	}
	from, until, err := parseTimeRange(q, v.m.sites[v.role].utcOffset)
	if err != nil {
		return err
	}
	row := func(i int) *vmRow { return &v.m.rows[i] }
	c := textConds(nil, q, []textFilter{
		{"vpgName", func(i int) string { return v.m.vpgs[row(i).vpg].name }},
		{"vmName", func(i int) string { return row(i).name }},
		{"protectedSiteName", func(int) string { return prot }},
		{"recoverySiteName", func(int) string { return rec }},
		{"protectedClusterName", func(int) string { return v.virtualizationClusterName(Protected) }},
		{"recoveryClusterName", func(int) string { return v.virtualizationClusterName(Recovery) }},
		{"protectedHostName", func(i int) string { return v.m.vras[row(i).protVRA].host }},
		{"recoveryHostName", func(i int) string { return v.m.vras[row(i).recVRA].host }},
		// No ZORGs, vCD organisations or org VDCs: their names match nothing.
		{"zorgName", func(int) string { return "" }},
		{"protectedOrgVdc", func(int) string { return "" }},
		{"protectedVcdOrg", func(int) string { return "" }},
		{"recoveryOrgVdc", func(int) string { return "" }},
		{"recoveryVcdOrg", func(int) string { return "" }},
	})
	if !within(sample, from, until) {
		c = append(c, func(int) bool { return false })
	}
	keep := c.pick()
	skip := (page - 1) * size
	v.out.open()
	var w wireResourceSample
	for r := range v.m.rows {
		if keep != nil && !keep(r) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		if size == 0 {
			break
		}
		size--
		row := &v.m.rows[r]
		p := &v.m.vpgs[row.vpg]
		owner, target := &v.m.vras[row.protVRA], &v.m.vras[row.recVRA]
		w = wireResourceSample{SampleTime: isoTime(sample),
			Vpg: wireResourceVpg{CrmIdentifier: "", ProtectedAndRecoveryType: "VCenterToVCenter", VpgName: p.name}}
		if sp := v.m.profileOf(row.vpg); sp != nil {
			w.Vpg.ServiceProfileName = &sp.name
		}
		mbps := v.m.rowThroughput(r, sample) * mib
		w.Performance.ThroughputInBps, w.Performance.BandwidthInBps = mbps, 0.6*mbps
		w.ProtectedSite.SiteName = prot
		w.ProtectedSite.Compute = wireResourceCompute{ClusterName: v.virtualizationClusterName(Protected), HostName: owner.host,
			ResourcePoolName: resourcePool, VraName: owner.name}
		w.ProtectedSite.Storage.NumberOfVolumes = len(row.disks)
		w.ProtectedSite.Storage.VolumesProvisionedStorageInGB = float64(row.provisionedMB) / 1024
		w.ProtectedSite.Storage.VolumesUsedStorageInGB = float64(row.usedMB) / 1024
		// No limits or reservations; a tenth of each core's 2 GHz and half the memory in use.
		w.ProtectedSite.VmInfo.Cpu.NumberOfvCpus, w.ProtectedSite.VmInfo.Cpu.CpuUsedInMhz = row.cpus, row.cpus*200
		w.ProtectedSite.VmInfo.Cpu.CpuLimitationInMhz, w.ProtectedSite.VmInfo.Memory.MemoryLimitationInMB = -1, -1
		w.ProtectedSite.VmInfo.Memory.MemoryInMB = row.memMB
		w.ProtectedSite.VmInfo.Memory.ActiveGuestMemoryInMB = int64(row.memMB / 2)
		w.ProtectedSite.VmInfo.Memory.ConsumedHostMemoryInMB = int64(row.memMB / 2)
		w.ProtectedSite.VmInfo.HardwareVersion, w.ProtectedSite.VmInfo.VmIdentifier, w.ProtectedSite.VmInfo.VmName = "vmx-19", row.vmID, row.name
		w.RecoverySite.SiteName = rec
		w.RecoverySite.Compute.wireResourceCompute = wireResourceCompute{ClusterName: v.virtualizationClusterName(Recovery),
			HostName: target.host, ResourcePoolName: resourcePool, VraName: target.name}
		journalGB := float64(v.m.journalUsedMB(r, sample)) / 1024
		w.RecoverySite.Storage.DatastoreName = v.m.datastores[row.recDS].name
		w.RecoverySite.Storage.JournalProvisionedStorageInGB, w.RecoverySite.Storage.JournalUsedStorageInGB = journalGB, journalGB
		w.RecoverySite.Storage.VolumesProvisionedStorageInGB = float64(row.provisionedMB) / 1024
		w.RecoverySite.Storage.VolumesUsedStorageInGB = float64(row.usedMB) / 1024
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}

// notSimulated lists the GET paths of the 10.0 U6 spec that the appliance answers with 501, and
// why; internal/zvmsim/README.md lists them too.
var notSimulated = map[string]string{
	"/v1/vcd/validOrgVdcs":                 "the simulated sites are vCenter sites, without vCloud Director",
	"/v1/vcd/vmsWithoutMorefId":            "the simulated sites are vCenter sites, without vCloud Director",
	"/v1/recoveryScripts/output/files":     "the simulator keeps no recovery scripts",
	"/v1/recoveryScripts/output/items":     "the simulator keeps no recovery scripts",
	"/v1/recoveryScripts/repository/files": "the simulator keeps no recovery scripts",
	"/v1/recoveryScripts/repository/items": "the simulator keeps no recovery scripts",
	"/v1/ltr/catalog/vms":                  "the simulator keeps no catalogue of Extended Journal Copy retention sets",
	"/v1/ltr/catalog/fullretentionsets":    "the simulator keeps no catalogue of Extended Journal Copy retention sets",
}

// notSimulatedPerSite are the virtualization-site paths answered with 501 on each site.
var notSimulatedPerSite = map[string]string{
	"/orgvdcs":                        "the simulated sites are vCenter sites, without vCloud Director",
	"/vcdvapps":                       "the simulated sites are vCenter sites, without vCloud Director",
	"/publiccloud/virtualnetworks":    "the simulated sites are vCenter sites, not public clouds",
	"/publiccloud/subnets":            "the simulated sites are vCenter sites, not public clouds",
	"/publiccloud/securitygroups":     "the simulated sites are vCenter sites, not public clouds",
	"/publiccloud/vminstancetypes":    "the simulated sites are vCenter sites, not public clouds",
	"/publiccloud/resourcegroups":     "the simulated sites are vCenter sites, not public clouds",
	"/publiccloud/keyscontainers":     "the simulated sites are vCenter sites, not public clouds",
	"/publiccloud/encryptionkeys":     "the simulated sites are vCenter sites, not public clouds",
	"/publiccloud/managedidentities":  "the simulated sites are vCenter sites, not public clouds",
	"/publiccloud/diskencryptionkeys": "the simulated sites are vCenter sites, not public clouds",
}

// applianceRoutes adds the Zerto 10 reads beyond those the exporter uses.
func (s *Sim) applianceRoutes(routes map[string]route, api func(string, func(*view) error),

	perSite func(prefix, suffix string, render func(*view, Role) error)) {
	api("/v1/encryptiondetection/metrics/vms", (*view).encryptionMetricsVMs)
	api("/v1/encryptiondetection/metrics/volumes", (*view).encryptionMetricsVolumes)
	api("/v1/encryptiondetection/suspected/volumes", (*view).suspectedVolumes)
	api("/v1/localsite/settings/loginbanner", (*view).loginBanner)
	routes["/v1/serverdatetime/datetimeargument"] = route{method: http.MethodGet, render: (*view).dateTimeArgument}
	routes["/v1/reports/resources"] = route{method: http.MethodGet, render: (*view).resourceReport}
	api("/v1/virtualizationsites", (*view).virtualizationSites)
	for _, empty := range []string{"/v1/zorgs", "/v1/zsspsessions", "/v1/flrs", "/v1/vpgsettings", "/v1/vpgsettings/exportedsettings"} {
		api(empty, emptyList)
	}
	for path, reason := range notSimulated {
		api(canonicalPath(path), notImplemented(reason))
	}
	perSite("/v1/virtualizationsites/", "", func(v *view, r Role) error { return v.out.value(v.virtualizationSite(r)) })
	perSite("/v1/virtualizationsites/", "/datastores", func(v *view, r Role) error { return v.out.value(v.nativeDatastores(r)) })
	perSite("/v1/virtualizationsites/", "/networks", func(v *view, r Role) error { return v.out.value(v.nativeNetworks(r)) })
	perSite("/v1/virtualizationsites/", "/hosts", (*view).siteHosts)
	perSite("/v1/virtualizationsites/", "/hostclusters", (*view).siteHostClusters)
	perSite("/v1/virtualizationsites/", "/folders", (*view).siteFolders)
	perSite("/v1/virtualizationsites/", "/resourcepools", (*view).siteResourcePools)
	perSite("/v1/virtualizationsites/", "/repositories", (*view).siteRepositories)
	perSite("/v1/virtualizationsites/", "/datastoreclusters", func(v *view, _ Role) error { return emptyList(v) })
	perSite("/v1/virtualizationsites/", "/devices", func(v *view, _ Role) error { return emptyList(v) })
	for suffix, reason := range notSimulatedPerSite {
		perSite("/v1/virtualizationsites/", suffix, func(v *view, _ Role) error { return notImplemented(reason)(v) })
	}
	for _, site := range s.model.sites {
		r := site.role
		for _, i := range s.model.vrasOf(r) {
			host := s.model.vras[i].hostID
			routes[canonicalPath("/v1/virtualizationsites/"+site.id+"/hosts/"+host)] = route{method: http.MethodGet,
				counted: "/v1/virtualizationsites/{siteidentifier}/hosts/{hostidentifier}",
				render:  func(v *view, _ url.Values) error { return v.out.value(v.nativeHost(r, i)) }}
			vra := strconv.FormatInt(s.model.vras[i].id, 10)
			routes[canonicalPath("/v1/vras/"+vra+"/changerecoveryvra/potentials")] = route{method: http.MethodGet,
				counted: "/v1/vras/{vraidentifier}/changerecoveryvra/potentials",
				render:  func(v *view, _ url.Values) error { return v.recoveryVRAPotentials(i) }}
		}
		routes[canonicalPath("/v1/vras/clusters/"+s.model.clusterID(r)+"/settings")] = route{method: http.MethodGet,
			counted: "/v1/vras/clusters/{clusteridentifier}/settings",
			render:  func(v *view, _ url.Values) error { return v.vraClusterSettings(r) }}
	}
	for r := range s.model.rows {
		id := s.model.rows[r].vmID
		routes[canonicalPath("/v1/ltr/catalog/vms/"+id+"/retentionsets")] = route{method: http.MethodGet,
			counted: "/v1/ltr/catalog/vms/{vmidentifier}/retentionsets",
			render:  func(v *view, _ url.Values) error { return notImplemented(notSimulated["/v1/ltr/catalog/vms"])(v) }}
		routes[canonicalPath("/v1/vms/"+id+"/pointsintime")] = route{method: http.MethodGet,
			counted: "/v1/vms/{vmidentifier}/pointsintime",
			render:  func(v *view, q url.Values) error { return v.pointsInTime(id, q) }}
		routes[canonicalPath("/v1/vms/"+id+"/pointsintime/stats")] = route{method: http.MethodGet,
			counted: "/v1/vms/{vmidentifier}/pointsintime/stats",
			render:  func(v *view, q url.Values) error { return v.pointsInTimeStats(id, q) }}
	}
}
