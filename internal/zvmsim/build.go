package zvmsim

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// gen wraps the seeded source every generated value comes from, so that a
// seed always yields the same model.
type gen struct {
	rng *rand.Rand
}

func newGen(seed int64, stream uint64) *gen {
	return &gen{rng: rand.New(rand.NewPCG(uint64(seed), stream))} //nolint:gosec // the simulated estate is reproducible from its seed by design
}

// uuid returns a version-4 style UUID drawn from the seeded source.
func (g *gen) uuid() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], g.rng.Uint64())
	binary.BigEndian.PutUint64(b[8:], g.rng.Uint64())
	return formatUUID(b)
}

// formatUUID marks 16 random bytes as a version-4 UUID and formats them.
func formatUUID(b [16]byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// between returns an integer in [lo, hi].
func (g *gen) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

// duration returns a duration in [lo, hi).
func (g *gen) duration(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(g.rng.Int64N(int64(hi-lo)))
}

// perMiB rounds a MB value to the 1/1024 steps the ZVM reports.
func perMiB(v float64) float64 { return math.Round(v*1024) / 1024 }

var appNames = []string{"Exchange", "SQL-Prod", "SAP-ERP", "Web-Frontend", "CRM", "Billing",
	"HR-Portal", "File-Services", "Active-Directory", "SharePoint", "Jira", "Confluence", "Payroll",
	"Data-Warehouse", "Kafka", "Postgres-Core", "Oracle-Finance", "Citrix", "Print-Services",
	"Backup-Proxy", "ERP-Reporting", "Mail-Relay", "Monitoring", "Onboarding"}

var guestOSes = []string{"Microsoft Windows Server 2019 (64-bit)", "Microsoft Windows Server 2022 (64-bit)",
	"Red Hat Enterprise Linux 8 (64-bit)", "Ubuntu Linux (64-bit)", "Debian GNU/Linux 11 (64-bit)"}

// build generates the model for a size and seed. start is the simulator's
// start time: history (creation dates, tests, reports) is laid out before it.
func build(seed int64, sz size, start time.Time) *model {
	g := newGen(seed, 1)
	m := &model{seed: seed, start: start}
	m.sites = [2]site{
		{role: Protected, id: g.uuid(), name: "Boston-Prod", location: "Boston, MA", ip: "10.10.0.20",
			vcenterID: g.uuid(), utcOffset: -300},
		{role: Recovery, id: g.uuid(), name: "Denver-DR", location: "Denver, CO", ip: "10.20.0.20",
			vcenterID: g.uuid(), utcOffset: -420},
	}
	hosts := sz.vras / 2
	m.buildInfra(g, hosts)
	m.buildVPGs(g, sz)
	m.buildRows(g, sz, hosts)
	m.countUsage()
	m.buildHistory(g)
	m.buildCoverage(hosts)
	m.buildInventory()
	m.licenseKey = strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x", g.rng.Uint32(), g.rng.Uint32(), g.rng.Uint32(), g.rng.Uint32()))
	m.maxVMs = (m.uniqueVMs*3/2/50 + 1) * 50
	m.expiry = start.Add(400 * 24 * time.Hour).Truncate(24 * time.Hour)
	return m
}

// buildInfra lays out each site's hosts (one VRA each) and datastores: a few
// that Zerto uses and two that it does not.
func (m *model) buildInfra(g *gen, hosts int) {
	width := len(fmt.Sprint(hosts))
	for _, s := range m.sites {
		short := map[Role]string{Protected: "bos", Recovery: "den"}[s.role]
		firstDS := len(m.datastores)
		used := max(2, hosts/2)
		for i := range used + 2 {
			d := datastore{id: fmt.Sprintf("%s.datastore-%d", s.vcenterID, 100+i), role: s.role}
			switch i {
			case used:
				d.name = short + "-iso-library"
			case used + 1:
				d.name, d.local = short+"-local-esx01", true
			default:
				d.name = fmt.Sprintf("%s-%s-ds%02d", short, map[Role]string{Protected: "prod", Recovery: "dr"}[s.role], i+1)
			}
			d.unreported = i == used-1
			d.capacity = int64(g.between(1, 4)) << 40
			d.otherPct = int64(g.between(5, 20))
			m.datastores = append(m.datastores, d)
		}
		octet := map[Role]int{Protected: 10, Recovery: 20}[s.role]
		for i := range hosts {
			host := fmt.Sprintf("esx-%s-%0*d.lab.local", short, width, i+1)
			m.vras = append(m.vras, vra{
				id:       1<<62 + g.rng.Int64N(1<<62),
				role:     s.role,
				name:     "Z-VRA-" + host,
				host:     host,
				hostID:   fmt.Sprintf("%s.host-%d", s.vcenterID, 1000+i),
				ip:       fmt.Sprintf("10.%d.%d.%d", octet, 1+i/200, 10+i%200),
				gateway:  fmt.Sprintf("10.%d.%d.1", octet, 1+i/200),
				ds:       firstDS + i%used,
				memoryGB: []int{3, 4, 8}[g.rng.IntN(3)],
				cpus:     []int{1, 2, 4}[g.rng.IntN(3)],
			})
		}
	}
}

func (m *model) buildVPGs(g *gen, sz size) {
	for i := range sz.vpgs {
		name := appNames[i%len(appNames)]
		if sz.vpgs > len(appNames) {
			name = fmt.Sprintf("%s-%04d", name, i+1)
		}
		v := vpg{
			id:         g.uuid(),
			name:       name,
			priority:   g.rng.IntN(3),
			rpoTarget:  []int{300, 300, 300, 300, 300, 300, 300, 300, 120, 600}[g.rng.IntN(10)],
			historyMin: []int{1440, 1440, 1440, 240, 720, 4320}[g.rng.IntN(6)],
			baseRPO:    float64(g.between(3, 12)),
			phase:      g.rng.Float64() * 2 * math.Pi,
			created:    m.start.Add(-g.duration(30*24*time.Hour, 400*24*time.Hour)),
		}
		if g.rng.IntN(2) == 0 {
			v.failSafeMin = []int{60, 240}[g.rng.IntN(2)]
		}
		m.vpgs = append(m.vpgs, v)
	}
	// The newest VPG was just created: it starts in initial sync.
	last := &m.vpgs[len(m.vpgs)-1]
	last.created, last.initialSync = m.start, true
}

// buildRows spreads the VMs over the VPGs (at least one each), sets one VM's
// journal limits in percent and one's unlimited, and protects a few VMs in a
// second VPG.
func (m *model) buildRows(g *gen, sz size, hosts int) {
	counts := make([]int, len(m.vpgs))
	for i := range counts {
		counts[i] = 1
	}
	for range sz.vms - len(m.vpgs) {
		counts[g.rng.IntN(len(counts))]++
	}
	protDS := m.datastoreIndexes(Protected)
	recDS := m.datastoreIndexes(Recovery)
	vmNum := 200
	for p, n := range counts {
		for j := range n {
			provisioned := int64(g.between(20, 500)) * 1024
			r := vmRow{
				vmID:          fmt.Sprintf("%s.vm-%d", m.sites[Protected].vcenterID, vmNum),
				name:          fmt.Sprintf("%s-vm%02d", strings.ToLower(m.vpgs[p].name), j+1),
				vpg:           p,
				protVRA:       g.rng.IntN(hosts),
				recVRA:        hosts + g.rng.IntN(hosts),
				protDS:        protDS[g.rng.IntN(len(protDS))],
				recDS:         recDS[g.rng.IntN(len(recDS))],
				provisionedMB: provisioned,
				usedMB:        provisioned * int64(g.between(40, 85)) / 100,
				cpus:          []int{2, 4, 8}[g.rng.IntN(3)],
				memMB:         []int{4096, 8192, 16384, 32768}[g.rng.IntN(4)],
				guestOS:       guestOSes[g.rng.IntN(len(guestOSes))],
				hard:          JournalLimit{limitMegabytes, 153600},
				warn:          JournalLimit{limitMegabytes, 115200},
				throughput:    perMiB(0.05 + g.rng.Float64()*4),
				iops:          float64(g.between(2, 120)),
				phase:         g.rng.Float64() * 2 * math.Pi,
			}
			for d := range g.between(1, 3) {
				r.disks = append(r.disks, fmt.Sprintf("scsi:0:%d", d))
				r.volumes = append(r.volumes, wireVMVolume{VmVolumeIdentifier: r.disks[d]})
			}
			vmNum++
			m.rows = append(m.rows, r)
		}
	}
	m.uniqueVMs = len(m.rows)
	m.rows[0].hard, m.rows[0].warn = JournalLimit{limitPercentage, 50}, JournalLimit{limitPercentage, 40}
	m.rows[1].hard, m.rows[1].warn = JournalLimit{limitUnlimited, 0}, JournalLimit{limitUnlimited, 0}
	// Protect a few VMs (one per hundred, at least one) in a second VPG.
	for _, i := range g.rng.Perm(m.uniqueVMs - 2)[:max(1, sz.vms/100)] {
		src := m.rows[2+i]
		src.vpg = (src.vpg + 1 + g.rng.IntN(len(m.vpgs)-1)) % len(m.vpgs)
		src.recVRA = hosts + g.rng.IntN(hosts)
		src.recDS = recDS[g.rng.IntN(len(recDS))]
		src.phase = g.rng.Float64() * 2 * math.Pi
		m.rows = append(m.rows, src)
	}
	for i := range m.rows {
		r := &m.rows[i]
		r.journalTarget = r.warn.resolveMB(r.provisionedMB) * (0.25 + 0.3*g.rng.Float64())
		if r.warn.Type == limitUnlimited {
			r.journalTarget = float64(r.provisionedMB) * 0.05
		}
		r.linkID = r.vmID + "?VpgIdentifier=" + m.vpgs[r.vpg].id
		m.vpgs[r.vpg].rows = append(m.vpgs[r.vpg].rows, i)
	}
}

func (m *model) datastoreIndexes(role Role) []int {
	var ds []int
	for i, d := range m.datastores {
		if d.role == role && !strings.Contains(d.name, "iso-library") && !d.local {
			ds = append(ds, i)
		}
	}
	return ds
}

// countUsage derives the VRA and datastore counters from the placement.
func (m *model) countUsage() {
	type key struct{ vra, vpg int }
	vpgsSeen := map[key]bool{}
	vmsSeen := map[string]bool{}
	for _, r := range m.rows {
		for _, v := range []int{r.protVRA, r.recVRA} {
			m.vras[v].vms++
			m.vras[v].volumes += len(r.disks)
			if k := (key{v, r.vpg}); !vpgsSeen[k] {
				vpgsSeen[k] = true
				m.vras[v].vpgs++
			}
		}
		if !vmsSeen[r.vmID] {
			vmsSeen[r.vmID] = true
			m.datastores[r.protDS].numOutgoing++
		}
		m.datastores[r.recDS].numIncoming++
	}
	for _, v := range m.vras {
		m.datastores[v.ds].numVRAs++
	}
	// Size each datastore so that Zerto's data fills at most half of it.
	zerto := make([]int64, len(m.datastores))
	for _, r := range m.rows {
		zerto[r.protDS] += r.usedMB * mib
		zerto[r.recDS] += (r.usedMB + int64(r.warn.resolveMB(r.provisionedMB))) * mib
	}
	for i := range m.datastores {
		d := &m.datastores[i]
		d.capacity = max(d.capacity, (2*zerto[i]>>40+1)<<40)
	}
}

// buildHistory gives every VPG but the initialising one a successful failover
// test in the last 20 days (its LastTest), some VPGs an older move or
// failover, and the matching events and tasks.
func (m *model) buildHistory(g *gen) {
	m.lastTest = make([]time.Time, len(m.vpgs))
	for i, v := range m.vpgs {
		m.events = append(m.events, event{id: g.uuid(), typ: eventCreateVPG, entityType: eventEntityVPG,
			occurred: v.created, description: fmt.Sprintf("Create VPG %s", v.name), user: DefaultUsername, vpg: i, ok: true})
		if v.initialSync {
			continue
		}
		if g.rng.IntN(10) == 0 {
			end := v.created.Add(g.duration(time.Hour, 10*24*time.Hour))
			rto := g.between(300, 1800)
			m.reports = append(m.reports, report{id: g.uuid(), vpg: i, typ: []string{"Move", "Failover"}[g.rng.IntN(2)],
				start: end.Add(-time.Duration(rto) * time.Second), end: end, rto: rto, success: true, initiatedBy: DefaultUsername})
		}
		end := m.start.Add(-g.duration(time.Hour, 20*24*time.Hour))
		rto := g.between(120, 900)
		m.recordTest(g, i, end.Add(-time.Duration(rto)*time.Second), end, rto)
	}
	slices.SortFunc(m.events, func(a, b event) int { return a.occurred.Compare(b.occurred) })
	slices.SortFunc(m.tasks, func(a, b task) int { return a.started.Compare(b.started) })
	if len(m.tasks) > 20 {
		m.tasks = m.tasks[len(m.tasks)-20:]
	}
	m.trim()
	slices.SortStableFunc(m.reports, func(a, b report) int { return cmp.Compare(a.end.UnixNano(), b.end.UnixNano()) })
	m.alerts = append(m.alerts, alert{id: g.uuid(), level: "Warning", entity: "Zvm", helpID: "ZVM0004",
		description: "The connection to the vCenter Server was lost for 2 minutes and restored.",
		turnedOn:    m.start.Add(-3 * 24 * time.Hour), dismissed: true, role: new(Protected)})
}

// recordTest records a completed successful failover test of VPG i: the
// recovery report, LastTest, the test's task and its events. The task
// identifier is drawn first so that a running test's task (see runningTest)
// keeps its identifier once completed.
func (m *model) recordTest(g *gen, i int, start, end time.Time, rto int) {
	m.tasks = append(m.tasks, task{id: g.uuid(), typ: "FailOverTest", vpg: i, started: start, completed: end,
		initiatedBy: DefaultUsername})
	m.reports = append(m.reports, report{id: g.uuid(), vpg: i, typ: "FailoverTest", start: start, end: end,
		rto: rto, success: true, initiatedBy: DefaultUsername})
	m.lastTest[i] = end
	name := m.vpgs[i].name
	m.events = append(m.events,
		event{id: g.uuid(), typ: eventFailOverTest, entityType: eventEntityVPG, occurred: start,
			description: "Failover test of VPG " + name, user: DefaultUsername, vpg: i, ok: true},
		event{id: g.uuid(), typ: eventStopFailOverTest, entityType: eventEntityVPG, occurred: end,
			description: "Stop failover test of VPG " + name, user: DefaultUsername, vpg: i, ok: true})
}
