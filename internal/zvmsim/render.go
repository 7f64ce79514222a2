package zvmsim

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

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
	m       *sim.Model
	role    sim.Role
	windows bool
	now     time.Time
	base    string // scheme://host of the request, for hrefs
	out     *jsonStream
	lives   []sim.VPGLive
	// pick, when set, selects the elements a list renderer writes by their
	// index in the model's slice the renderer ranges over: list filters and
	// single-object URLs set it.
	pick func(i int) bool
}

// keep says whether a list renderer writes its element i.
func (v *view) keep(i int) bool { return v.pick == nil || v.pick(i) }

// live returns every VPG's state at the view's instant, computed once.
func (v *view) live() []sim.VPGLive {
	if v.lives == nil {
		v.lives = make([]sim.VPGLive, len(v.m.Vpgs))
		for i := range v.m.Vpgs {
			v.lives[i] = v.m.LiveVPG(i, v.now)
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
func (v *view) siteLink(r sim.Role) wireLink {
	s := &v.m.Sites[r]
	if r == v.role {
		return v.link("/v1/localsite", s.ID, "LocalSiteApi")
	}
	return v.link("/v1/peersites/"+s.ID, s.ID, "PeerSiteApi")
}

func (v *view) vpgLink(i int) wireLink {
	id := v.m.Vpgs[i].ID
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
	s := &v.m.Sites[v.role]
	w := wireLocalSite{
		BandwidthThrottlingInMBs: -1,
		ContactEmail:             "dr-team@example.com",
		ContactName:              "DR Team",
		ContactPhone:             "+1-555-0100",
		IpAddress:                s.IP,
		Link:                     v.link("/v1/localsite", s.ID, "LocalSiteApi"),
		Location:                 s.Location,
		SiteIdentifier:           s.ID,
		SiteName:                 s.Name,
		SiteType:                 siteType,
		UtcOffsetInMinutes:       s.UtcOffset,
		Version:                  windowsVersion,
	}
	if !v.windows {
		w.Version, w.DisplayVersion, w.ZvmApiVersion, w.SiteTypeVersion = applianceVersion, "10.0 U6", applianceVersion, sim.HostVersion
		w.IsLoginBannerEnabled, w.LoginBanner, w.PlatformInformation = new(false), &sim.JSONNull, &wireSitePlatform{}
		w.PlatformInformation.VCenter.Ip = s.IP
	}
	return v.out.value(w)
}

// peerSiteFilter: peerName, pairingStatus, location, hostName and port, on the one peer.
func (v *view) peerSiteFilter(q url.Values) (func(int) bool, error) {
	p := &v.m.Sites[v.role.Other()]
	c := textConds(nil, q, []textFilter{
		{"peerName", func(int) string { return p.Name }},
		{"location", func(int) string { return p.Location }},
		{"hostName", func(int) string { return p.IP }},
	})
	if s := queryValue(q, "pairingStatus"); s != "" {
		want, err := enumValue("pairingStatus", s, sim.PairingStatusNames)
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
	if v.m.Fx.Unpaired {
		return sim.PairingUnpairing
	}
	return sim.PairingPaired
}

func (v *view) peerSites() error {
	p := &v.m.Sites[v.role.Other()]
	w := wirePeerSite{
		HostName:       p.IP,
		Link:           v.link("/v1/peersites/"+p.ID, p.ID, "PeerSiteApi"),
		Link0:          v.self("/v1/peersites/"+p.ID, "PeerSiteApi"),
		Location:       p.Location,
		PairingStatus:  v.pairingStatus(),
		PeerSiteName:   p.Name,
		Port:           peerPort,
		SiteIdentifier: p.ID,
		SiteType:       siteType,
		Version:        map[bool]string{true: windowsVersion, false: applianceVersion}[v.windows],
	}
	if !v.windows {
		w.RegionName = &sim.JSONNull
	}
	// Every VPG recovers to the recovery site: only the protected ZVM sees
	// traffic and storage towards its peer.
	if v.role == sim.Protected {
		for _, l := range v.live() {
			w.IncomingThroughputInMb += l.Throughput
			w.ProvisionedStorage += l.ProvisionedMB
			w.UsedStorage += l.UsedMB
		}
		w.IncomingThroughputInMb = sim.PerMiB(w.IncomingThroughputInMb)
		w.OutgoingBandWidth = sim.PerMiB(0.6 * w.IncomingThroughputInMb)
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
	for i := range v.m.Vpgs {
		if !v.keep(i) {
			continue
		}
		p, l := &v.m.Vpgs[i], &lives[i]
		path := "/v1/vpgs/" + p.ID
		w = wireVPG{
			ActualRPO:            l.RPO, // -1 while initialising, as on the VMs
			AlertStatus:          l.AlertStatus,
			ConfiguredRpoSeconds: p.RPOTarget,
			Entities:             v.entities(),
			HistoryStatusApi: wireHistory{
				ActualHistoryInMinutes:     l.HistoryMin,
				ConfiguredHistoryInMinutes: p.HistoryMin,
				EarliestCheckpoint: wireCheckpoint{
					CheckpointIdentifier: strconv.FormatInt(v.now.Unix()/7-int64(l.HistoryMin)*60/7, 10),
					TimeStamp:            isoTime(l.EarliestCheckpoint(v.now)),
				},
			},
			IOPs:                   l.Iops,
			LastTest:               optISO(l.LastTest),
			Link:                   v.link(path, p.ID, "VpgApi"),
			Link0:                  v.self(path, "VpgApi"),
			Priority:               p.Priority,
			ProgressPercentage:     l.Progress,
			ProtectedSite:          v.siteLink(sim.Protected),
			ProvisionedStorageInMB: l.ProvisionedMB,
			RecoverySite:           v.siteLink(sim.Recovery),
			Status:                 l.Status,
			SubStatus:              l.SubStatus,
			ThroughputInMB:         l.Throughput,
			UsedStorageInMB:        l.UsedMB,
			VmsCount:               len(p.Rows),
			VpgIdentifier:          p.ID,
			VpgName:                p.Name,
			Zorg:                   v.link("/v1/zorgs/"+sim.NoZorg, sim.NoZorg, "ZorgApi"),
		}
		if l.TestRunning {
			w.ActiveProcessesApi.RunningFailOverTestApi = &wireStage{Stage: "Testing"}
		}
		if sp := v.m.ProfileOf(i); sp != nil {
			link := v.serviceProfileLink(sp)
			w.ServiceProfile, w.ServiceProfileName = &link, sp.Name
			if v.windows {
				w.ServiceProfileIdentifier = new(sp.ID)
			}
		}
		// Without a configured fail-safe history the ZVM sends zeros (the spec's object is not nullable).
		w.FailSafeHistory = &wireFailSafe{ActualFailSafeHistory: l.FailSafeMin, ConfiguredFailSafeHistory: p.FailSafeMin}
		if v.windows {
			w.SourceSite, w.TargetSite = v.m.Sites[sim.Protected].Name, v.m.Sites[sim.Recovery].Name
			w.HistoryStatusApi.EarliestCheckpoint.Vss = new(false)
		} else {
			w.ProtectedSiteName, w.RecoverySiteName = v.m.Sites[sim.Protected].Name, v.m.Sites[sim.Recovery].Name
			w.HistoryStatusApi.EarliestCheckpoint.Type = new(0)
			w.StatusDescription, w.SubStatusDescription = sim.VPGStatusNames[l.Status], sim.VPGSubStatusNames[l.SubStatus]
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
	prot, rec := &v.m.Sites[sim.Protected], &v.m.Sites[sim.Recovery]
	// What rows share is formatted once, not per row.
	protLink, recLink := v.siteLink(sim.Protected), v.siteLink(sim.Recovery)
	lastTests := make([]*string, len(lives))
	for i := range lives {
		lastTests[i] = optISO(lives[i].LastTest)
	}
	t := v.m.Elapsed(v.now)
	v.out.open()
	var w wireVM
	for r := range v.m.Rows {
		if !v.keep(r) {
			continue
		}
		row, l := &v.m.Rows[r], &lives[v.m.Rows[r].VPG]
		p := &v.m.Vpgs[row.VPG]
		owner, target := &v.m.Vras[row.ProtVRA], &v.m.Vras[row.RecVRA]
		id := row.LinkID
		w = wireVM{
			ActualRPO:               l.RPO,
			EnabledActions:          wireEnabledActions{IsFlrEnabled: true},
			Entities:                v.entities(),
			HardwareVersion:         "vmx-19",
			IOPs:                    v.m.RowIOPS(r, t),
			IsVmExists:              true,
			JournalHardLimit:        row.Hard,
			JournalUsedStorageMb:    v.m.JournalUsedMB(r, v.now),
			JournalWarningThreshold: row.Warn,
			LastTest:                lastTests[row.VPG],
			Link:                    wireVMLink{Href: v.base + "/v1/vms/" + id, Identifier: id, Type: "VmApi"},
			Link0:                   v.self("/v1/vms/"+id, "VmApi"),
			Priority:                p.Priority,
			ProtectedSite:           protLink,
			ProvisionedStorageInMB:  row.ProvisionedMB,
			RecoveryHostIdentifier:  target.HostID,
			RecoverySite:            recLink,
			Status:                  l.Status,
			SubStatus:               l.SubStatus,
			UsedStorageInMB:         row.UsedMB,
			VmIdentifier:            row.VMID,
			VmName:                  row.Name,
			Volumes:                 row.Volumes,
			VpgIdentifier:           p.ID,
			VpgName:                 p.Name,
		}
		w.ThroughputInMB = v.m.RowThroughput(r, v.now)
		w.OutgoingBandWidthInMbps = sim.PerMiB(0.6 * w.ThroughputInMB)
		if v.windows {
			w.SourceSite, w.TargetSite = prot.Name, rec.Name
		} else {
			w.Link.VpgIdentifier, w.Link.InstanceIdentifier = p.ID, row.VMID
			w.CpuCoresNum, w.MemorySizeInMB, w.GuestOs = row.Cpus, row.MemMB, row.GuestOS
			w.OwningDatastoreIdentifier, w.OwningDatastoreName = v.m.Datastores[row.ProtDS].ID, v.m.Datastores[row.ProtDS].Name
			w.OwningHostIdentifier, w.OwningHostName = owner.HostID, owner.Host
			w.RecoveryHostName = target.Host
			w.ProtectedSiteName, w.RecoverySiteName = prot.Name, rec.Name
			n := row.Native
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
	for i := range v.m.Vras {
		a := &v.m.Vras[i]
		if a.Role != v.role || !v.keep(i) {
			continue
		}
		idStr := strconv.FormatInt(a.ID, 10)
		ds := &v.m.Datastores[a.Ds]
		w := wireVRA{
			DatastoreIdentifier: ds.ID,
			DatastoreName:       ds.Name,
			HostIdentifier:      a.HostID,
			HostVersion:         v.vraHostVersion(),
			Link:                v.link("/v1/vras/"+idStr, idStr, "VraApi"),
			Link0:               v.self("/v1/vras/"+idStr, "VraApi"),
			MemoryInGB:          a.MemoryGB,
			NetworkIdentifier:   v.m.NetworkID(v.role),
			NetworkName:         sim.VMNetworkName,
			Status:              v.vraStatus(i),
			VraGroup:            vraGroup,
			VraIdentifier:       a.ID,
			VraIdentifierStr:    idStr,
			VraName:             a.Name,
			VraNetworkDataApi: wireVraNetwork{DefaultGateway: a.Gateway, SubnetMask: "255.255.255.0",
				VraIPAddress: a.IP, VraIPConfigurationTypeApi: sim.VRAIPConfigNames[vraIPStatic]},
			VraVersion: v.vraVersion(),
		}
		counters := wireCounters{Vms: a.Vms, Volumes: a.Volumes, Vpgs: a.Vpgs}
		if a.Role == sim.Protected {
			w.ProtectedCounters = counters
		} else {
			w.RecoveryCounters = counters
		}
		if _, down := v.m.Fx.VRAStatus[i]; down {
			w.VraAlerts.VraAlertsStatus = sim.AlertError
		}
		if v.windows {
			w.IpAddress = a.IP
		} else {
			w.HostDisplayName, w.NumOfCpus, w.UpgradeStatus = a.Host, a.Cpus, new(sim.VRAUpgradeLatest)
			w.IsGhost, w.IsVaio, w.PlatformInformation, w.VraDisplayVersion = &no, &no, &wireVraPlatform{}, "10.0 U6"
			w.VmInstanceType, w.VraNetworkDataApi.VraIPAddressRangeEnd = &sim.JSONNull, &sim.JSONNull
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
	return sim.HostVersion
}

// VRAStatus is VRA i's Status: installed unless a vra_down fault says otherwise.
func (v *view) vraStatus(i int) int { return v.m.Fx.VRAStatus[i] }

// alertsFor lists the alerts this site's ZVM shows.
func (v *view) alertsFor() []sim.Alert {
	var out []sim.Alert
	for _, a := range v.m.AllAlerts() {
		if a.Role == nil || *a.Role == v.role {
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
			Description:    a.Description,
			Entity:         a.Entity,
			HelpIdentifier: a.HelpID,
			IsDismissed:    a.Dismissed,
			Level:          a.Level,
			Link:           v.link("/v1/alerts/"+a.ID, a.ID, "AlertApi"),
			Site:           v.siteLink(v.role),
			TurnedOn:       v.wcfTime(a.TurnedOn),
		}
		for _, i := range a.Vpgs {
			w.AffectedVpgs = append(w.AffectedVpgs, v.vpgLink(i))
		}
		if !v.windows {
			w.Generation = a.TurnedOn.UnixMilli()
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
	first := max(0, len(v.m.Events)-sim.MaxServedEvents)
	if v.out.single {
		first = 0
	}
	s := &v.m.Sites[v.role]
	v.out.open()
	for i := first; i < len(v.m.Events); i++ {
		if !v.keep(i) {
			continue
		}
		e := &v.m.Events[i]
		w := wireEvent{
			Description:                e.Description,
			EntityType:                 e.EntityType,
			EventCategory:              "Events",
			EventCompletedSuccessfully: e.Ok,
			EventIdentifier:            e.ID,
			EventType:                  e.Typ,
			Link:                       v.link("/v1/events/"+e.ID, e.ID, "EventApi"),
			OccurredOn:                 v.wcfTime(e.Occurred),
			RelatedEntities: wireEventRelated{Alerts: []wireLink{}, FlrSessions: []wireLink{}, Hosts: []wireLink{},
				Sites: []wireLink{v.siteLink(v.role)}, Vpgs: []wireLink{}, Zorgs: []wireLink{}},
			UserName: e.User,
		}
		if e.Typ == sim.EventAlertTurnedOn || e.Typ == sim.EventAlertTurnedOff {
			w.EventCategory = "Alerts"
		}
		if e.VPG >= 0 {
			w.RelatedEntities.Vpgs = append(w.RelatedEntities.Vpgs, v.vpgLink(e.VPG))
		}
		if v.windows {
			w.SiteIdentifier, w.SiteName = s.ID, s.Name
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
func (v *view) tasks() []sim.Task {
	tasks := v.m.Tasks
	if k, since, ok := v.m.RunningTest(v.now); ok {
		g := sim.NewGen(v.m.Seed, sim.TestStream(k))
		tasks = append(slices.Clip(tasks), sim.Task{ID: g.UUID(), Typ: "FailOverTest", VPG: v.m.TestedVPG(k),
			Started: since, InitiatedBy: DefaultUsername})
	}
	return tasks
}

func (v *view) taskList() error {
	tasks := v.tasks()
	local := v.m.Sites[v.role].ID
	v.out.open()
	for i, t := range tasks {
		if !v.keep(i) {
			continue
		}
		id := t.ID + "." + local
		w := wireTask{
			InitiatedBy: t.InitiatedBy,
			Link:        v.link("/v1/tasks/"+id, id, "TaskApi"),
			RelatedEntities: wireTaskRelated{FlrSessions: []wireLink{}, Hosts: []wireLink{},
				Sites: []wireLink{v.siteLink(sim.Protected), v.siteLink(sim.Recovery)}, Vpgs: []wireLink{v.vpgLink(t.VPG)}},
			Started:        v.wcfTime(t.Started),
			Status:         wireTaskStatus{Progress: 100, State: sim.TaskCompleted},
			TaskIdentifier: id,
			Type:           t.Typ,
		}
		if t.Completed.IsZero() {
			w.IsCancellable = true
			w.Status = wireTaskStatus{Progress: min(99, int(100*v.now.Sub(t.Started)/sim.TestLength)), State: sim.TaskInProgress}
		} else {
			w.Completed = new(v.wcfTime(t.Completed))
		}
		if !v.windows {
			w.Generation = t.Started.UnixMilli()
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
	zerto := make([]wireZertoUsage, len(v.m.Datastores))
	for r := range v.m.Rows {
		row := &v.m.Rows[r]
		prot, rec := &zerto[row.ProtDS].Protected, &zerto[row.RecDS]
		prot.UsedInBytes += row.UsedMB * sim.Mib
		prot.ProvisionedInBytes += row.ProvisionedMB * sim.Mib
		rec.Recovery.UsedInBytes += row.UsedMB * sim.Mib
		rec.Recovery.ProvisionedInBytes += row.ProvisionedMB * sim.Mib
		journal := v.m.JournalUsedMB(r, v.now) * sim.Mib
		rec.Journal.UsedInBytes += journal
		rec.Journal.ProvisionedInBytes += journal
		if ratio, ok := v.m.ScratchRatio(row.VPG, v.now); ok {
			sz := v.m.ScratchSize(r, ratio)
			rec.Scratch.UsedInBytes += sz.UsedInBytes
			rec.Scratch.ProvisionedInBytes += sz.ProvisionedInBytes
		}
	}
	for _, a := range v.m.Vras {
		zerto[a.Ds].Appliances.UsedInBytes += 12 << 30
		zerto[a.Ds].Appliances.ProvisionedInBytes += 12 << 30
	}
	v.out.open()
	for i := range v.m.Datastores {
		d := &v.m.Datastores[i]
		if d.Role != v.role || !v.keep(i) {
			continue
		}
		z := &zerto[i]
		zertoUsed := z.Protected.UsedInBytes + z.Recovery.UsedInBytes + z.Journal.UsedInBytes + z.Scratch.UsedInBytes + z.Appliances.UsedInBytes
		used := d.Capacity/100*d.OtherPct + zertoUsed
		w := wireDatastore{
			Config: wireDatastoreConfig{Devices: []string{fmt.Sprintf("naa.600a0980%024x", i)}, Type: new("VMFS"),
				OwningDatastoreCluster: v.noCluster()},
			DatastoreIdentifier: d.ID,
			DatastoreName:       d.Name,
			Health:              &wireDatastoreHealth{Alerts: []wireLink{}, Status: new("Normal")},
			Stats: wireDatastoreStats{
				AvailabilityStatus: "Normal",
				NumIncomingVMs:     d.NumIncoming,
				NumOutgoingVMs:     d.NumOutgoing,
				NumVRAs:            d.NumVRAs,
				Usage: wireDatastoreUsage{Datastore: wireCapacity{
					CapacityInBytes: new(d.Capacity), FreeInBytes: new(d.Capacity - used),
					ProvisionedInBytes: new(used + used/5), UsedInBytes: new(used),
				}},
			},
		}
		if d.Unreported {
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
		Details: wireLicenseDetails{ExpiryTime: isoTime(v.m.Expiry), LicenseKey: v.m.LicenseKey, LicenseType: "Enterprise", MaxVms: v.m.MaxVMs},
		Usage: wireLicenseUsage{
			SitesUsage: []wireSiteUsage{
				{ProtectedVmsCount: v.m.UniqueVMs, SiteIdentifier: v.m.Sites[sim.Protected].ID, SiteName: v.m.Sites[sim.Protected].Name},
				{ProtectedVmsCount: 0, SiteIdentifier: v.m.Sites[sim.Recovery].ID, SiteName: v.m.Sites[sim.Recovery].Name},
			},
			TotalVmsCount: v.m.UniqueVMs,
		},
	})
}

// vmStatistics serves /v1/statistics/vms: the same rows on both sites.
func (v *view) vmStatistics() error {
	sample := isoTime(v.now)
	v.out.open()
	var w wireVMStatistics
	for r := range v.m.Rows {
		row := &v.m.Rows[r]
		c := v.m.RowCounters(r, v.now)
		w = wireVMStatistics{IoOperationsCounter: c.IoOps, NetworkTrafficCounterInMBs: c.NetworkMB, SampleTime: sample,
			SyncCounterInMBs: c.SyncMB, VmIdentifier: row.VMID, VpgIdentifier: v.m.Vpgs[row.VPG].ID, WriteCounterInMBs: c.WriteMB}
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
