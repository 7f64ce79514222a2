package sim

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

func NewGen(seed int64, stream uint64) *gen {
	return &gen{rng: rand.New(rand.NewPCG(uint64(seed), stream))} //nolint:gosec // the simulated estate is reproducible from its seed by design
}

// UUID returns a version-4 style UUID drawn from the seeded source.
func (g *gen) UUID() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], g.rng.Uint64())
	binary.BigEndian.PutUint64(b[8:], g.rng.Uint64())
	return FormatUUID(b)
}

// FormatUUID marks 16 random bytes as a version-4 UUID and formats them.
func FormatUUID(b [16]byte) string {
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

// PerMiB rounds a MB value to the 1/1024 steps the ZVM reports.
func PerMiB(v float64) float64 { return math.Round(v*1024) / 1024 }

var appNames = []string{"Exchange", "SQL-Prod", "SAP-ERP", "Web-Frontend", "CRM", "Billing",
	"HR-Portal", "File-Services", "Active-Directory", "SharePoint", "Jira", "Confluence", "Payroll",
	"Data-Warehouse", "Kafka", "Postgres-Core", "Oracle-Finance", "Citrix", "Print-Services",
	"Backup-Proxy", "ERP-Reporting", "Mail-Relay", "Monitoring", "Onboarding"}

var GuestOSes = []string{"Microsoft Windows Server 2019 (64-bit)", "Microsoft Windows Server 2022 (64-bit)",
	"Red Hat Enterprise Linux 8 (64-bit)", "Ubuntu Linux (64-bit)", "Debian GNU/Linux 11 (64-bit)"}

// Build generates the model for a size and seed. start is the simulator's
// start time: history (creation dates, tests, reports) is laid out before it.
func Build(seed int64, sz size, start time.Time) *Model {
	g := NewGen(seed, 1)
	m := &Model{Seed: seed, Start: start}
	m.Sites = [2]site{
		{Role: Protected, ID: g.UUID(), Name: "Boston-Prod", Location: "Boston, MA", IP: "10.10.0.20",
			VcenterID: g.UUID(), UtcOffset: -300},
		{Role: Recovery, ID: g.UUID(), Name: "Denver-DR", Location: "Denver, CO", IP: "10.20.0.20",
			VcenterID: g.UUID(), UtcOffset: -420},
	}
	hosts := sz.vras / 2
	m.buildInfra(g, hosts)
	m.buildVPGs(g, sz)
	m.buildRows(g, sz, hosts)
	m.countUsage()
	m.buildHistory(g)
	m.buildCoverage(hosts)
	m.buildInventory()
	m.LicenseKey = strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x", g.rng.Uint32(), g.rng.Uint32(), g.rng.Uint32(), g.rng.Uint32()))
	m.MaxVMs = (m.UniqueVMs*3/2/50 + 1) * 50
	m.Expiry = start.Add(400 * 24 * time.Hour).Truncate(24 * time.Hour)
	return m
}

// buildInfra lays out each site's hosts (one VRA each) and datastores: a few
// that Zerto uses and two that it does not.
func (m *Model) buildInfra(g *gen, hosts int) {
	width := len(fmt.Sprint(hosts))
	for _, s := range m.Sites {
		short := map[Role]string{Protected: "bos", Recovery: "den"}[s.Role]
		firstDS := len(m.Datastores)
		used := max(2, hosts/2)
		for i := range used + 2 {
			d := datastore{ID: fmt.Sprintf("%s.datastore-%d", s.VcenterID, 100+i), Role: s.Role}
			switch i {
			case used:
				d.Name = short + "-iso-library"
			case used + 1:
				d.Name, d.local = short+"-local-esx01", true
			default:
				d.Name = fmt.Sprintf("%s-%s-ds%02d", short, map[Role]string{Protected: "prod", Recovery: "dr"}[s.Role], i+1)
			}
			d.Unreported = i == used-1
			d.Capacity = int64(g.between(1, 4)) << 40
			d.OtherPct = int64(g.between(5, 20))
			m.Datastores = append(m.Datastores, d)
		}
		octet := map[Role]int{Protected: 10, Recovery: 20}[s.Role]
		for i := range hosts {
			host := fmt.Sprintf("esx-%s-%0*d.lab.local", short, width, i+1)
			m.Vras = append(m.Vras, vra{
				ID:       1<<62 + g.rng.Int64N(1<<62),
				Role:     s.Role,
				Name:     "Z-VRA-" + host,
				Host:     host,
				HostID:   fmt.Sprintf("%s.host-%d", s.VcenterID, 1000+i),
				IP:       fmt.Sprintf("10.%d.%d.%d", octet, 1+i/200, 10+i%200),
				Gateway:  fmt.Sprintf("10.%d.%d.1", octet, 1+i/200),
				Ds:       firstDS + i%used,
				MemoryGB: []int{3, 4, 8}[g.rng.IntN(3)],
				Cpus:     []int{1, 2, 4}[g.rng.IntN(3)],
			})
		}
	}
}

func (m *Model) buildVPGs(g *gen, sz size) {
	for i := range sz.vpgs {
		name := appNames[i%len(appNames)]
		if sz.vpgs > len(appNames) {
			name = fmt.Sprintf("%s-%04d", name, i+1)
		}
		v := vpg{
			ID:         g.UUID(),
			Name:       name,
			Priority:   g.rng.IntN(3),
			RPOTarget:  []int{300, 300, 300, 300, 300, 300, 300, 300, 120, 600}[g.rng.IntN(10)],
			HistoryMin: []int{1440, 1440, 1440, 240, 720, 4320}[g.rng.IntN(6)],
			baseRPO:    float64(g.between(3, 12)),
			phase:      g.rng.Float64() * 2 * math.Pi,
			Created:    m.Start.Add(-g.duration(30*24*time.Hour, 400*24*time.Hour)),
		}
		if g.rng.IntN(2) == 0 {
			v.FailSafeMin = []int{60, 240}[g.rng.IntN(2)]
		}
		m.Vpgs = append(m.Vpgs, v)
	}
	// The newest VPG was just created: it starts in initial sync.
	last := &m.Vpgs[len(m.Vpgs)-1]
	last.Created, last.initialSync = m.Start, true
}

// buildRows spreads the VMs over the VPGs (at least one each), sets one VM's
// journal limits in percent and one's unlimited, and protects a few VMs in a
// second VPG.
func (m *Model) buildRows(g *gen, sz size, hosts int) {
	counts := make([]int, len(m.Vpgs))
	for i := range counts {
		counts[i] = 1
	}
	for range sz.vms - len(m.Vpgs) {
		counts[g.rng.IntN(len(counts))]++
	}
	protDS := m.datastoreIndexes(Protected)
	recDS := m.datastoreIndexes(Recovery)
	vmNum := 200
	for p, n := range counts {
		for j := range n {
			provisioned := int64(g.between(20, 500)) * 1024
			r := VMRow{
				VMID:          fmt.Sprintf("%s.vm-%d", m.Sites[Protected].VcenterID, vmNum),
				Name:          fmt.Sprintf("%s-vm%02d", strings.ToLower(m.Vpgs[p].Name), j+1),
				VPG:           p,
				ProtVRA:       g.rng.IntN(hosts),
				RecVRA:        hosts + g.rng.IntN(hosts),
				ProtDS:        protDS[g.rng.IntN(len(protDS))],
				RecDS:         recDS[g.rng.IntN(len(recDS))],
				ProvisionedMB: provisioned,
				UsedMB:        provisioned * int64(g.between(40, 85)) / 100,
				Cpus:          []int{2, 4, 8}[g.rng.IntN(3)],
				MemMB:         []int{4096, 8192, 16384, 32768}[g.rng.IntN(4)],
				GuestOS:       GuestOSes[g.rng.IntN(len(GuestOSes))],
				Hard:          JournalLimit{LimitMegabytes, 153600},
				Warn:          JournalLimit{LimitMegabytes, 115200},
				throughput:    PerMiB(0.05 + g.rng.Float64()*4),
				iops:          float64(g.between(2, 120)),
				phase:         g.rng.Float64() * 2 * math.Pi,
			}
			for d := range g.between(1, 3) {
				r.Disks = append(r.Disks, fmt.Sprintf("scsi:0:%d", d))
				r.Volumes = append(r.Volumes, WireVMVolume{VmVolumeIdentifier: r.Disks[d]})
			}
			vmNum++
			m.Rows = append(m.Rows, r)
		}
	}
	m.UniqueVMs = len(m.Rows)
	m.Rows[0].Hard, m.Rows[0].Warn = JournalLimit{LimitPercentage, 50}, JournalLimit{LimitPercentage, 40}
	m.Rows[1].Hard, m.Rows[1].Warn = JournalLimit{LimitUnlimited, 0}, JournalLimit{LimitUnlimited, 0}
	// Protect a few VMs (one per hundred, at least one) in a second VPG.
	for _, i := range g.rng.Perm(m.UniqueVMs - 2)[:max(1, sz.vms/100)] {
		src := m.Rows[2+i]
		src.VPG = (src.VPG + 1 + g.rng.IntN(len(m.Vpgs)-1)) % len(m.Vpgs)
		src.RecVRA = hosts + g.rng.IntN(hosts)
		src.RecDS = recDS[g.rng.IntN(len(recDS))]
		src.phase = g.rng.Float64() * 2 * math.Pi
		m.Rows = append(m.Rows, src)
	}
	for i := range m.Rows {
		r := &m.Rows[i]
		r.journalTarget = r.Warn.ResolveMB(r.ProvisionedMB) * (0.25 + 0.3*g.rng.Float64())
		if r.Warn.Type == LimitUnlimited {
			r.journalTarget = float64(r.ProvisionedMB) * 0.05
		}
		r.LinkID = r.VMID + "?VpgIdentifier=" + m.Vpgs[r.VPG].ID
		m.Vpgs[r.VPG].Rows = append(m.Vpgs[r.VPG].Rows, i)
	}
}

func (m *Model) datastoreIndexes(role Role) []int {
	var ds []int
	for i, d := range m.Datastores {
		if d.Role == role && !strings.Contains(d.Name, "iso-library") && !d.local {
			ds = append(ds, i)
		}
	}
	return ds
}

// countUsage derives the VRA and datastore counters from the placement.
func (m *Model) countUsage() {
	type key struct{ vra, vpg int }
	vpgsSeen := map[key]bool{}
	vmsSeen := map[string]bool{}
	for _, r := range m.Rows {
		for _, v := range []int{r.ProtVRA, r.RecVRA} {
			m.Vras[v].Vms++
			m.Vras[v].Volumes += len(r.Disks)
			if k := (key{v, r.VPG}); !vpgsSeen[k] {
				vpgsSeen[k] = true
				m.Vras[v].Vpgs++
			}
		}
		if !vmsSeen[r.VMID] {
			vmsSeen[r.VMID] = true
			m.Datastores[r.ProtDS].NumOutgoing++
		}
		m.Datastores[r.RecDS].NumIncoming++
	}
	for _, v := range m.Vras {
		m.Datastores[v.Ds].NumVRAs++
	}
	// Size each datastore so that Zerto's data fills at most half of it.
	zerto := make([]int64, len(m.Datastores))
	for _, r := range m.Rows {
		zerto[r.ProtDS] += r.UsedMB * Mib
		zerto[r.RecDS] += (r.UsedMB + int64(r.Warn.ResolveMB(r.ProvisionedMB))) * Mib
	}
	for i := range m.Datastores {
		d := &m.Datastores[i]
		d.Capacity = max(d.Capacity, (2*zerto[i]>>40+1)<<40)
	}
}

// buildHistory gives every VPG but the initialising one a successful failover
// test in the last 20 days (its LastTest), some VPGs an older move or
// failover, and the matching events and tasks.
func (m *Model) buildHistory(g *gen) {
	m.lastTest = make([]time.Time, len(m.Vpgs))
	for i, v := range m.Vpgs {
		m.Events = append(m.Events, event{ID: g.UUID(), Typ: eventCreateVPG, EntityType: EventEntityVPG,
			Occurred: v.Created, Description: fmt.Sprintf("Create VPG %s", v.Name), User: DefaultUser, VPG: i, Ok: true})
		if v.initialSync {
			continue
		}
		if g.rng.IntN(10) == 0 {
			end := v.Created.Add(g.duration(time.Hour, 10*24*time.Hour))
			rto := g.between(300, 1800)
			m.Reports = append(m.Reports, Report{ID: g.UUID(), VPG: i, Typ: []string{"Move", "Failover"}[g.rng.IntN(2)],
				Start: end.Add(-time.Duration(rto) * time.Second), End: end, Rto: rto, Success: true, InitiatedBy: DefaultUser})
		}
		end := m.Start.Add(-g.duration(time.Hour, 20*24*time.Hour))
		rto := g.between(120, 900)
		m.recordTest(g, i, end.Add(-time.Duration(rto)*time.Second), end, rto)
	}
	slices.SortFunc(m.Events, func(a, b event) int { return a.Occurred.Compare(b.Occurred) })
	slices.SortFunc(m.Tasks, func(a, b Task) int { return a.Started.Compare(b.Started) })
	if len(m.Tasks) > 20 {
		m.Tasks = m.Tasks[len(m.Tasks)-20:]
	}
	m.trim()
	slices.SortStableFunc(m.Reports, func(a, b Report) int { return cmp.Compare(a.End.UnixNano(), b.End.UnixNano()) })
	m.alerts = append(m.alerts, Alert{ID: g.UUID(), Level: "Warning", Entity: "Zvm", HelpID: "ZVM0004",
		Description: "The connection to the vCenter Server was lost for 2 minutes and restored.",
		TurnedOn:    m.Start.Add(-3 * 24 * time.Hour), Dismissed: true, Role: new(Protected)})
}

// recordTest records a completed successful failover test of VPG i: the
// recovery report, LastTest, the test's task and its events. The task
// identifier is drawn first so that a running test's task (see runningTest)
// keeps its identifier once completed.
func (m *Model) recordTest(g *gen, i int, start, end time.Time, rto int) {
	m.Tasks = append(m.Tasks, Task{ID: g.UUID(), Typ: "FailOverTest", VPG: i, Started: start, Completed: end,
		InitiatedBy: DefaultUser})
	m.Reports = append(m.Reports, Report{ID: g.UUID(), VPG: i, Typ: "FailoverTest", Start: start, End: end,
		Rto: rto, Success: true, InitiatedBy: DefaultUser})
	m.lastTest[i] = end
	name := m.Vpgs[i].Name
	m.Events = append(m.Events,
		event{ID: g.UUID(), Typ: EventFailOverTest, EntityType: EventEntityVPG, Occurred: start,
			Description: "Failover test of VPG " + name, User: DefaultUser, VPG: i, Ok: true},
		event{ID: g.UUID(), Typ: eventStopFailOverTest, EntityType: EventEntityVPG, Occurred: end,
			Description: "Stop failover test of VPG " + name, User: DefaultUser, VPG: i, Ok: true})
}
