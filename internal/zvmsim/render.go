package zvmsim

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// mib converts the ZVM's MB (mebibytes) to bytes.
const mib = 1 << 20

const noZorg = "00000000-0000-0000-0000-000000000000"

// Versions each flavour reports.
const (
	applianceVersion = "10.0.60"
	windowsVersion   = "7.5.0"
)

// jsonStream writes JSON values, or a JSON array one element at a time, so
// that large lists are encoded straight into the response. A single stream
// writes its one element as a bare object instead of an array, for the
// single-object URLs that share the list renderers.
type jsonStream struct {
	w      *bufio.Writer
	enc    *json.Encoder
	n      int
	single bool
}

func newJSONStream(w *bufio.Writer) *jsonStream {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &jsonStream{w: w, enc: enc}
}

func (s *jsonStream) value(v any) error { return s.enc.Encode(v) }

// open and item leave write errors to the bufio.Writer, which keeps the first and returns it from
// every later write and Flush.
func (s *jsonStream) open() {
	if !s.single {
		_ = s.w.WriteByte('[')
	}
}

func (s *jsonStream) item(v any) error {
	if s.n > 0 && !s.single {
		_ = s.w.WriteByte(',')
	}
	s.n++
	return s.enc.Encode(v)
}

func (s *jsonStream) close() error {
	if s.single {
		return nil
	}
	return s.w.WriteByte(']')
}

// view renders the model as one site's ZVM sees it at one instant. The
// caller holds the model's read lock while a view is in use.
type view struct {
	m       *model
	role    Role
	windows bool
	now     time.Time
	base    string // scheme://host of the request, for hrefs
	out     *jsonStream
	lives   []vpgLive
	// pick, when set, selects the elements a list renderer writes by their
	// index in the model's slice the renderer ranges over: list filters and
	// single-object URLs set it.
	pick func(i int) bool
}

// keep says whether a list renderer writes its element i.
func (v *view) keep(i int) bool { return v.pick == nil || v.pick(i) }

// live returns every VPG's state at the view's instant, computed once.
func (v *view) live() []vpgLive {
	if v.lives == nil {
		v.lives = make([]vpgLive, len(v.m.vpgs))
		for i := range v.m.vpgs {
			v.lives[i] = v.m.liveVPG(i, v.now)
		}
	}
	return v.lives
}

func (v *view) link(path, id, typ string) wireLink {
	return wireLink{Href: v.base + path, Identifier: id, Type: typ}
}

// self is the Windows ZVM's Link_{0}; the appliance does not send it.
func (v *view) self(path, typ string) *wireSelfLink {
	if !v.windows {
		return nil
	}
	return &wireSelfLink{Href: v.base + path, Rel: "self", Type: typ}
}

// siteLink links a site: the local one as LocalSiteApi, the peer as
// PeerSiteApi.
func (v *view) siteLink(r Role) wireLink {
	s := &v.m.sites[r]
	if r == v.role {
		return v.link("/v1/localsite", s.id, "LocalSiteApi")
	}
	return v.link("/v1/peersites/"+s.id, s.id, "PeerSiteApi")
}

func (v *view) vpgLink(i int) wireLink {
	id := v.m.vpgs[i].id
	return v.link("/v1/vpgs/"+id, id, "VpgApi")
}

// wcfTime is the date format of tasks, alerts and events: /Date(ms)/ on a
// Windows ZVM, ISO 8601 on the appliance.
func (v *view) wcfTime(t time.Time) string {
	if v.windows {
		return wcfTime(t)
	}
	return isoTime(t)
}

// optISO is an ISO date, or null for the zero time.
func optISO(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	return new(isoTime(t))
}

func (v *view) entities() wireEntities {
	if v.windows {
		return wireEntities{Source: new(0), Target: new(0)}
	}
	return wireEntities{}
}

func (v *view) localSite() error {
	s := &v.m.sites[v.role]
	w := wireLocalSite{
		BandwidthThrottlingInMBs: -1,
		ContactEmail:             "dr-team@example.com",
		ContactName:              "DR Team",
		ContactPhone:             "+1-555-0100",
		IpAddress:                s.ip,
		Link:                     v.link("/v1/localsite", s.id, "LocalSiteApi"),
		Location:                 s.location,
		SiteIdentifier:           s.id,
		SiteName:                 s.name,
		SiteType:                 siteType,
		UtcOffsetInMinutes:       s.utcOffset,
		Version:                  windowsVersion,
	}
	if !v.windows {
		w.Version, w.DisplayVersion, w.ZvmApiVersion, w.SiteTypeVersion = applianceVersion, "10.0 U6", applianceVersion, hostVersion
		w.IsLoginBannerEnabled, w.LoginBanner, w.PlatformInformation = new(false), &jsonNull, &wireSitePlatform{}
		w.PlatformInformation.VCenter.Ip = s.ip
	}
	return v.out.value(w)
}

// peerSiteFilter: peerName, pairingStatus, location, hostName and port, on the one peer.
func (v *view) peerSiteFilter(q url.Values) (func(int) bool, error) {
	p := &v.m.sites[v.role.other()]
	c := textConds(nil, q, []textFilter{
		{"peerName", func(int) string { return p.name }},
		{"location", func(int) string { return p.location }},
		{"hostName", func(int) string { return p.ip }},
	})
	if s := queryValue(q, "pairingStatus"); s != "" {
		want, err := enumValue("pairingStatus", s, pairingStatusNames)
		if err != nil {
			return nil, err
		}
		c = append(c, func(int) bool { return v.pairingStatus() == want })
	}
	if s := queryValue(q, "port"); s != "" {
		want, err := strconv.Atoi(s)
		if err != nil {
			return nil, badRequestf("port %q is not a number", s)
		}
		c = append(c, func(int) bool { return want == peerPort })
	}
	return c.pick(), nil
}

// peerPort is the port the sites pair on.
const peerPort = 9081

func (v *view) pairingStatus() int {
	if v.m.fx.unpaired {
		return pairingUnpairing
	}
	return pairingPaired
}

func (v *view) peerSites() error {
	p := &v.m.sites[v.role.other()]
	w := wirePeerSite{
		HostName:       p.ip,
		Link:           v.link("/v1/peersites/"+p.id, p.id, "PeerSiteApi"),
		Link0:          v.self("/v1/peersites/"+p.id, "PeerSiteApi"),
		Location:       p.location,
		PairingStatus:  v.pairingStatus(),
		PeerSiteName:   p.name,
		Port:           peerPort,
		SiteIdentifier: p.id,
		SiteType:       siteType,
		Version:        map[bool]string{true: windowsVersion, false: applianceVersion}[v.windows],
	}
	if !v.windows {
		w.RegionName = &jsonNull
	}
	// Every VPG recovers to the recovery site: only the protected ZVM sees
	// traffic and storage towards its peer.
	if v.role == Protected {
		for _, l := range v.live() {
			w.IncomingThroughputInMb += l.throughput
			w.ProvisionedStorage += l.provisionedMB
			w.UsedStorage += l.usedMB
		}
		w.IncomingThroughputInMb = perMiB(w.IncomingThroughputInMb)
		w.OutgoingBandWidth = perMiB(0.6 * w.IncomingThroughputInMb)
	}
	v.out.open()
	if v.keep(0) {
		if err := v.out.item(w); err != nil {
			return err
		}
	}
	return v.out.close()
}

func (v *view) vpgList() error {
	lives := v.live()
	v.out.open()
	var w wireVPG
	for i := range v.m.vpgs {
		if !v.keep(i) {
			continue
		}
		p, l := &v.m.vpgs[i], &lives[i]
		path := "/v1/vpgs/" + p.id
		w = wireVPG{
			ActualRPO:            l.rpo, // -1 while initialising, as on the VMs
			AlertStatus:          l.alertStatus,
			ConfiguredRpoSeconds: p.rpoTarget,
			Entities:             v.entities(),
			HistoryStatusApi: wireHistory{
				ActualHistoryInMinutes:     l.historyMin,
				ConfiguredHistoryInMinutes: p.historyMin,
				EarliestCheckpoint: wireCheckpoint{
					CheckpointIdentifier: strconv.FormatInt(v.now.Unix()/7-int64(l.historyMin)*60/7, 10),
					TimeStamp:            isoTime(l.earliestCheckpoint(v.now)),
				},
			},
			IOPs:                   l.iops,
			LastTest:               optISO(l.lastTest),
			Link:                   v.link(path, p.id, "VpgApi"),
			Link0:                  v.self(path, "VpgApi"),
			Priority:               p.priority,
			ProgressPercentage:     l.progress,
			ProtectedSite:          v.siteLink(Protected),
			ProvisionedStorageInMB: l.provisionedMB,
			RecoverySite:           v.siteLink(Recovery),
			Status:                 l.status,
			SubStatus:              l.subStatus,
			ThroughputInMB:         l.throughput,
			UsedStorageInMB:        l.usedMB,
			VmsCount:               len(p.rows),
			VpgIdentifier:          p.id,
			VpgName:                p.name,
			Zorg:                   v.link("/v1/zorgs/"+noZorg, noZorg, "ZorgApi"),
		}
		if l.testRunning {
			w.ActiveProcessesApi.RunningFailOverTestApi = &wireStage{Stage: "Testing"}
		}
		if sp := v.m.profileOf(i); sp != nil {
			link := v.serviceProfileLink(sp)
			w.ServiceProfile, w.ServiceProfileName = &link, sp.name
			if v.windows {
				w.ServiceProfileIdentifier = new(sp.id)
			}
		}
		// Without a configured fail-safe history the ZVM sends zeros (the spec's object is not nullable).
		w.FailSafeHistory = &wireFailSafe{ActualFailSafeHistory: l.failSafeMin, ConfiguredFailSafeHistory: p.failSafeMin}
		if v.windows {
			w.SourceSite, w.TargetSite = v.m.sites[Protected].name, v.m.sites[Recovery].name
			w.HistoryStatusApi.EarliestCheckpoint.Vss = new(false)
		} else {
			w.ProtectedSiteName, w.RecoverySiteName = v.m.sites[Protected].name, v.m.sites[Recovery].name
			w.HistoryStatusApi.EarliestCheckpoint.Type = new(0)
			w.StatusDescription, w.SubStatusDescription = vpgStatusNames[l.status], vpgSubStatusNames[l.subStatus]
			w.VpgDescription, w.VpgType = &noDescription, "Remote"
		}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}

func (v *view) vmList() error {
	lives := v.live()
	prot, rec := &v.m.sites[Protected], &v.m.sites[Recovery]
	// What rows share is formatted once, not per row.
	protLink, recLink := v.siteLink(Protected), v.siteLink(Recovery)
	lastTests := make([]*string, len(lives))
	for i := range lives {
		lastTests[i] = optISO(lives[i].lastTest)
	}
	t := v.m.elapsed(v.now)
	v.out.open()
	var w wireVM
	for r := range v.m.rows {
		if !v.keep(r) {
			continue
		}
		row, l := &v.m.rows[r], &lives[v.m.rows[r].vpg]
		p := &v.m.vpgs[row.vpg]
		owner, target := &v.m.vras[row.protVRA], &v.m.vras[row.recVRA]
		id := row.linkID
		w = wireVM{
			ActualRPO:               l.rpo,
			EnabledActions:          wireEnabledActions{IsFlrEnabled: true},
			Entities:                v.entities(),
			HardwareVersion:         "vmx-19",
			IOPs:                    v.m.rowIOPS(r, t),
			IsVmExists:              true,
			JournalHardLimit:        row.hard,
			JournalUsedStorageMb:    v.m.journalUsedMB(r, v.now),
			JournalWarningThreshold: row.warn,
			LastTest:                lastTests[row.vpg],
			Link:                    wireVMLink{Href: v.base + "/v1/vms/" + id, Identifier: id, Type: "VmApi"},
			Link0:                   v.self("/v1/vms/"+id, "VmApi"),
			Priority:                p.priority,
			ProtectedSite:           protLink,
			ProvisionedStorageInMB:  row.provisionedMB,
			RecoveryHostIdentifier:  target.hostID,
			RecoverySite:            recLink,
			Status:                  l.status,
			SubStatus:               l.subStatus,
			UsedStorageInMB:         row.usedMB,
			VmIdentifier:            row.vmID,
			VmName:                  row.name,
			Volumes:                 row.volumes,
			VpgIdentifier:           p.id,
			VpgName:                 p.name,
		}
		w.ThroughputInMB = v.m.rowThroughput(r, v.now)
		w.OutgoingBandWidthInMbps = perMiB(0.6 * w.ThroughputInMB)
		if v.windows {
			w.SourceSite, w.TargetSite = prot.name, rec.name
		} else {
			w.Link.VpgIdentifier, w.Link.InstanceIdentifier = p.id, row.vmID
			w.CpuCoresNum, w.MemorySizeInMB, w.GuestOs = row.cpus, row.memMB, row.guestOS
			w.OwningDatastoreIdentifier, w.OwningDatastoreName = v.m.datastores[row.protDS].id, v.m.datastores[row.protDS].name
			w.OwningHostIdentifier, w.OwningHostName = owner.hostID, owner.host
			w.RecoveryHostName = target.host
			w.ProtectedSiteName, w.RecoverySiteName = prot.name, rec.name
			n := row.native
			w.IsAgentInstalled, w.Nics, w.PlatformInformation = &n.IsAgentInstalled, n.Nics, &n.PlatformInformation
			w.VmNetworkInformation, w.Volumes = &n.VmNetworkInformation, n.Volumes
		}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}

func (v *view) vraList() error {
	v.out.open()
	for i := range v.m.vras {
		a := &v.m.vras[i]
		if a.role != v.role || !v.keep(i) {
			continue
		}
		idStr := strconv.FormatInt(a.id, 10)
		ds := &v.m.datastores[a.ds]
		w := wireVRA{
			DatastoreIdentifier: ds.id,
			DatastoreName:       ds.name,
			HostIdentifier:      a.hostID,
			HostVersion:         v.vraHostVersion(),
			Link:                v.link("/v1/vras/"+idStr, idStr, "VraApi"),
			Link0:               v.self("/v1/vras/"+idStr, "VraApi"),
			MemoryInGB:          a.memoryGB,
			NetworkIdentifier:   v.m.networkID(v.role),
			NetworkName:         vmNetworkName,
			Status:              v.vraStatus(i),
			VraGroup:            vraGroup,
			VraIdentifier:       a.id,
			VraIdentifierStr:    idStr,
			VraName:             a.name,
			VraNetworkDataApi: wireVraNetwork{DefaultGateway: a.gateway, SubnetMask: "255.255.255.0",
				VraIPAddress: a.ip, VraIPConfigurationTypeApi: vraIPConfigNames[vraIPStatic]},
			VraVersion: v.vraVersion(),
		}
		counters := wireCounters{Vms: a.vms, Volumes: a.volumes, Vpgs: a.vpgs}
		if a.role == Protected {
			w.ProtectedCounters = counters
		} else {
			w.RecoveryCounters = counters
		}
		if _, down := v.m.fx.vraStatus[i]; down {
			w.VraAlerts.VraAlertsStatus = alertError
		}
		if v.windows {
			w.IpAddress = a.ip
		} else {
			w.HostDisplayName, w.NumOfCpus, w.UpgradeStatus = a.host, a.cpus, new(vraUpgradeLatest)
			w.IsGhost, w.IsVaio, w.PlatformInformation, w.VraDisplayVersion = &no, &no, &wireVraPlatform{}, "10.0 U6"
			w.VmInstanceType, w.VraNetworkDataApi.VraIPAddressRangeEnd = &jsonNull, &jsonNull
		}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}

// VRA fields /v1/vras sends and filters on.
const (
	vraGroup    = "default_group"
	vraIPStatic = 1 // of vraIPConfigNames
	siteType    = "VCenter"
)

func (v *view) vraVersion() string {
	if v.windows {
		return "7.5"
	}
	return applianceVersion
}

func (v *view) vraHostVersion() string {
	if v.windows {
		return "6.7"
	}
	return hostVersion
}

// vraStatus is VRA i's Status: installed unless a vra_down fault says otherwise.
func (v *view) vraStatus(i int) int { return v.m.fx.vraStatus[i] }

// alertsFor lists the alerts this site's ZVM shows.
func (v *view) alertsFor() []alert {
	var out []alert
	for _, a := range v.m.allAlerts() {
		if a.role == nil || *a.role == v.role {
			out = append(out, a)
		}
	}
	return out
}

func (v *view) alertList() error {
	v.out.open()
	for i, a := range v.alertsFor() {
		if !v.keep(i) {
			continue
		}
		w := wireAlert{
			AffectedVpgs:   []wireLink{},
			AffectedZorgs:  []wireLink{},
			Description:    a.description,
			Entity:         a.entity,
			HelpIdentifier: a.helpID,
			IsDismissed:    a.dismissed,
			Level:          a.level,
			Link:           v.link("/v1/alerts/"+a.id, a.id, "AlertApi"),
			Site:           v.siteLink(v.role),
			TurnedOn:       v.wcfTime(a.turnedOn),
		}
		for _, i := range a.vpgs {
			w.AffectedVpgs = append(w.AffectedVpgs, v.vpgLink(i))
		}
		if !v.windows {
			w.Generation = a.turnedOn.UnixMilli()
		}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}

func (v *view) eventList() error {
	// The list serves the last events only; a single event is found among
	// all that the ZVM keeps.
	first := max(0, len(v.m.events)-maxServedEvents)
	if v.out.single {
		first = 0
	}
	s := &v.m.sites[v.role]
	v.out.open()
	for i := first; i < len(v.m.events); i++ {
		if !v.keep(i) {
			continue
		}
		e := &v.m.events[i]
		w := wireEvent{
			Description:                e.description,
			EntityType:                 e.entityType,
			EventCategory:              "Events",
			EventCompletedSuccessfully: e.ok,
			EventIdentifier:            e.id,
			EventType:                  e.typ,
			Link:                       v.link("/v1/events/"+e.id, e.id, "EventApi"),
			OccurredOn:                 v.wcfTime(e.occurred),
			RelatedEntities: wireEventRelated{Alerts: []wireLink{}, FlrSessions: []wireLink{}, Hosts: []wireLink{},
				Sites: []wireLink{v.siteLink(v.role)}, Vpgs: []wireLink{}, Zorgs: []wireLink{}},
			UserName: e.user,
		}
		if e.typ == eventAlertTurnedOn || e.typ == eventAlertTurnedOff {
			w.EventCategory = "Alerts"
		}
		if e.vpg >= 0 {
			w.RelatedEntities.Vpgs = append(w.RelatedEntities.Vpgs, v.vpgLink(e.vpg))
		}
		if v.windows {
			w.SiteIdentifier, w.SiteName = s.id, s.name
		} else {
			w.RelatedEntities.Repositories = &noLinks
		}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}

// tasks lists the stored tasks and the running failover test's, if any.
func (v *view) tasks() []task {
	tasks := v.m.tasks
	if k, since, ok := v.m.runningTest(v.now); ok {
		g := newGen(v.m.seed, testStream(k))
		tasks = append(slices.Clip(tasks), task{id: g.uuid(), typ: "FailOverTest", vpg: v.m.testedVPG(k),
			started: since, initiatedBy: DefaultUsername})
	}
	return tasks
}

func (v *view) taskList() error {
	tasks := v.tasks()
	local := v.m.sites[v.role].id
	v.out.open()
	for i, t := range tasks {
		if !v.keep(i) {
			continue
		}
		id := t.id + "." + local
		w := wireTask{
			InitiatedBy: t.initiatedBy,
			Link:        v.link("/v1/tasks/"+id, id, "TaskApi"),
			RelatedEntities: wireTaskRelated{FlrSessions: []wireLink{}, Hosts: []wireLink{},
				Sites: []wireLink{v.siteLink(Protected), v.siteLink(Recovery)}, Vpgs: []wireLink{v.vpgLink(t.vpg)}},
			Started:        v.wcfTime(t.started),
			Status:         wireTaskStatus{Progress: 100, State: taskCompleted},
			TaskIdentifier: id,
			Type:           t.typ,
		}
		if t.completed.IsZero() {
			w.IsCancellable = true
			w.Status = wireTaskStatus{Progress: min(99, int(100*v.now.Sub(t.started)/testLength)), State: taskInProgress}
		} else {
			w.Completed = new(v.wcfTime(t.completed))
		}
		if !v.windows {
			w.Generation = t.started.UnixMilli()
		}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}

// datastoreList reports each datastore of the site with Zerto's use of it,
// summed from the VMs placed on it.
func (v *view) datastoreList() error {
	zerto := make([]wireZertoUsage, len(v.m.datastores))
	for r := range v.m.rows {
		row := &v.m.rows[r]
		prot, rec := &zerto[row.protDS].Protected, &zerto[row.recDS]
		prot.UsedInBytes += row.usedMB * mib
		prot.ProvisionedInBytes += row.provisionedMB * mib
		rec.Recovery.UsedInBytes += row.usedMB * mib
		rec.Recovery.ProvisionedInBytes += row.provisionedMB * mib
		journal := v.m.journalUsedMB(r, v.now) * mib
		rec.Journal.UsedInBytes += journal
		rec.Journal.ProvisionedInBytes += journal
		if ratio, ok := v.m.scratchRatio(row.vpg, v.now); ok {
			sz := v.m.scratchSize(r, ratio)
			rec.Scratch.UsedInBytes += sz.UsedInBytes
			rec.Scratch.ProvisionedInBytes += sz.ProvisionedInBytes
		}
	}
	for _, a := range v.m.vras {
		zerto[a.ds].Appliances.UsedInBytes += 12 << 30
		zerto[a.ds].Appliances.ProvisionedInBytes += 12 << 30
	}
	v.out.open()
	for i := range v.m.datastores {
		d := &v.m.datastores[i]
		if d.role != v.role || !v.keep(i) {
			continue
		}
		z := &zerto[i]
		zertoUsed := z.Protected.UsedInBytes + z.Recovery.UsedInBytes + z.Journal.UsedInBytes + z.Scratch.UsedInBytes + z.Appliances.UsedInBytes
		used := d.capacity/100*d.otherPct + zertoUsed
		w := wireDatastore{
			Config: wireDatastoreConfig{Devices: []string{fmt.Sprintf("naa.600a0980%024x", i)}, Type: new("VMFS"),
				OwningDatastoreCluster: v.noCluster()},
			DatastoreIdentifier: d.id,
			DatastoreName:       d.name,
			Health:              &wireDatastoreHealth{Alerts: []wireLink{}, Status: new("Normal")},
			Stats: wireDatastoreStats{
				AvailabilityStatus: "Normal",
				NumIncomingVMs:     d.numIncoming,
				NumOutgoingVMs:     d.numOutgoing,
				NumVRAs:            d.numVRAs,
				Usage: wireDatastoreUsage{Datastore: wireCapacity{
					CapacityInBytes: new(d.capacity), FreeInBytes: new(d.capacity - used),
					ProvisionedInBytes: new(used + used/5), UsedInBytes: new(used),
				}},
			},
		}
		if d.unreported {
			// No figures for the datastore's health and free and provisioned space.
			w.Health.Status = nil
			w.Stats.Usage.Datastore.FreeInBytes, w.Stats.Usage.Datastore.ProvisionedInBytes = nil, nil
		}
		w.Stats.Usage.Zerto = z
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}

func (v *view) license() error {
	return v.out.value(wireLicense{
		Details: wireLicenseDetails{ExpiryTime: isoTime(v.m.expiry), LicenseKey: v.m.licenseKey, LicenseType: "Enterprise", MaxVms: v.m.maxVMs},
		Usage: wireLicenseUsage{
			SitesUsage: []wireSiteUsage{
				{ProtectedVmsCount: v.m.uniqueVMs, SiteIdentifier: v.m.sites[Protected].id, SiteName: v.m.sites[Protected].name},
				{ProtectedVmsCount: 0, SiteIdentifier: v.m.sites[Recovery].id, SiteName: v.m.sites[Recovery].name},
			},
			TotalVmsCount: v.m.uniqueVMs,
		},
	})
}

// vmStatistics serves /v1/statistics/vms: the same rows on both sites.
func (v *view) vmStatistics() error {
	sample := isoTime(v.now)
	v.out.open()
	var w wireVMStatistics
	for r := range v.m.rows {
		row := &v.m.rows[r]
		c := v.m.rowCounters(r, v.now)
		w = wireVMStatistics{IoOperationsCounter: c.ioOps, NetworkTrafficCounterInMBs: c.networkMB, SampleTime: sample,
			SyncCounterInMBs: c.syncMB, VmIdentifier: row.vmID, VpgIdentifier: v.m.vpgs[row.vpg].id, WriteCounterInMBs: c.writeMB}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}

// Values the appliance sends where the spec has a property the simulated estate has no value
// for.
var (
	noDescription = ""
	no            = false
	jsonNull      null
	noLinks       = []wireLink{}
)

// noCluster is a datastore's OwningDatastoreCluster outside any cluster: null on a Windows ZVM
// (as its samples show), an object of nulls on the appliance (the spec's object is not nullable).
func (v *view) noCluster() *wireDatastoreCluster {
	if v.windows {
		return nil
	}
	return &wireDatastoreCluster{}
}
