package zvmsim

import (
	"math"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

type wireRwLink struct {
	Href               string  `json:"href"`
	Identifier         string  `json:"identifier"`
	InstanceIdentifier string  `json:"instance_identifier,omitempty"`
	Name               string  `json:"name"`
	Rel                *string `json:"rel"`
	Type               string  `json:"type"`
}

type wireSuspectedVPG struct {
	Link           wireRwLink `json:"Link"`
	SuspicionLevel int        `json:"SuspicionLevel"`
}

type wireSuspectedVM struct {
	AssociatedVpgs []wireNamed `json:"AssociatedVpgs"`
	Link           wireRwLink  `json:"Link"`
	SuspicionLevel int         `json:"SuspicionLevel"`
}

type wireEncryptionMetrics struct {
	EncryptedData    int64 `json:"EncryptedData"`
	NonEncryptedData int64 `json:"NonEncryptedData"`
	TrendChangeLevel int   `json:"TrendChangeLevel"`
}

type wireMetricsVPG struct {
	EncryptionMetrics wireEncryptionMetrics `json:"EncryptionMetrics"`
	Link              wireRwLink            `json:"Link"`
}

type wireEncryptionState struct {
	EncryptionDetectionEnabled bool `json:"EncryptionDetectionEnabled"`
}

func (v *view) rwVPGLink(i int) wireRwLink {
	p := &v.m.Vpgs[i]
	return wireRwLink{Href: v.base + "/v1/vpgs/" + p.ID, Identifier: p.ID, Name: p.Name, Type: "VpgApi"}
}

func (v *view) encryptionState() error {
	return v.out.value(wireEncryptionState{EncryptionDetectionEnabled: true})
}

func (v *view) suspectedVPGs() error {
	v.out.open()
	for i := range v.m.Vpgs {
		level := v.m.Fx.Suspicion(i)
		if level == 0 {
			continue
		}
		if err := v.out.item(wireSuspectedVPG{Link: v.rwVPGLink(i), SuspicionLevel: level}); err != nil {
			return err
		}
	}
	return v.out.close()
}

// suspectedVMs lists each VM of a suspected VPG once, with every suspected
// VPG it belongs to and the highest of their levels.
func (v *view) suspectedVMs() error {
	type vmSuspicion struct {
		row   int
		level int
		vpgs  []wireNamed
	}
	var order []string
	byVM := map[string]*vmSuspicion{}
	for r := range v.m.Rows {
		row := &v.m.Rows[r]
		level := v.m.Fx.Suspicion(row.VPG)
		if level == 0 {
			continue
		}
		s, ok := byVM[row.VMID]
		if !ok {
			s = &vmSuspicion{row: r}
			byVM[row.VMID] = s
			order = append(order, row.VMID)
		}
		s.level = max(s.level, level)
		p := &v.m.Vpgs[row.VPG]
		s.vpgs = append(s.vpgs, named(p.ID, p.Name))
	}
	v.out.open()
	for _, id := range order {
		s := byVM[id]
		row := &v.m.Rows[s.row]
		w := wireSuspectedVM{AssociatedVpgs: s.vpgs, SuspicionLevel: s.level,
			Link: wireRwLink{Href: v.base + "/v1/vms/" + row.VMID, Identifier: row.VMID,
				InstanceIdentifier: row.VMID, Name: row.Name, Type: "VmApi"}}
		if err := v.out.item(w); err != nil {
			return err
		}
	}
	return v.out.close()
}

// encryptionMetrics is what metrics/vpgs reports for VPG i: the writes of
// the last encryptionWindow seconds, in 512-byte blocks, split by whether
// they look encrypted. A suspicion raises the encrypted share with its level.
func (v *view) encryptionMetrics(i int, l *sim.VPGLive) wireEncryptionMetrics {
	total := l.Throughput * sim.EncryptionWindow * sim.BlocksPerMiB
	ratio, trend := sim.BaselineEncryptedRatio, 0
	if level := v.m.Fx.Suspicion(i); level > 0 {
		ratio, trend = 0.5+0.15*float64(level), level
	}
	enc := int64(math.Round(total * ratio))
	return wireEncryptionMetrics{EncryptedData: enc, NonEncryptedData: int64(math.Round(total)) - enc, TrendChangeLevel: trend}
}

func (v *view) encryptionMetricsVPGs() error {
	lives := v.live()
	v.out.open()
	for i := range v.m.Vpgs {
		if err := v.out.item(wireMetricsVPG{EncryptionMetrics: v.encryptionMetrics(i, &lives[i]), Link: v.rwVPGLink(i)}); err != nil {
			return err
		}
	}
	return v.out.close()
}

type wireMetricsVM struct {
	AssociatedVpgs    []wireNamed           `json:"AssociatedVpgs"`
	EncryptionMetrics wireEncryptionMetrics `json:"EncryptionMetrics"`
	Link              wireRwLink            `json:"Link"`
}

type wireMetricsVolume struct {
	AssociatedVm      wireNamed             `json:"AssociatedVm"`
	AssociatedVpgs    []wireNamed           `json:"AssociatedVpgs"`
	EncryptionMetrics wireEncryptionMetrics `json:"EncryptionMetrics"`
	VolumeIdentifier  string                `json:"VolumeIdentifier"`
}

type wireSuspectedVolume struct {
	AssociatedVm     wireNamed      `json:"AssociatedVm"`
	AssociatedVpgs   []wireNamed    `json:"AssociatedVpgs"`
	Datastore        wireNamed      `json:"Datastore"`
	Path             wireVolumePath `json:"Path"`
	Size             sim.WireUsage  `json:"Size"`
	SuspicionLevel   int            `json:"SuspicionLevel"`
	VolumeIdentifier string         `json:"VolumeIdentifier"`
	VolumeType       string         `json:"VolumeType"`
}

// rowEncryptionMetrics splits VPG metrics among a VM row's disks by the row's share of the VPG's
// throughput: what metrics/vms and metrics/volumes report.
func (v *view) rowEncryptionMetrics(r int, parts int64) wireEncryptionMetrics {
	row := &v.m.Rows[r]
	l := &v.live()[row.VPG]
	vpg := v.encryptionMetrics(row.VPG, l)
	share := 0.0
	if l.Throughput > 0 {
		share = v.m.RowThroughput(r, v.now) / l.Throughput / float64(parts)
	}
	return wireEncryptionMetrics{EncryptedData: int64(math.Round(float64(vpg.EncryptedData) * share)),
		NonEncryptedData: int64(math.Round(float64(vpg.NonEncryptedData) * share)), TrendChangeLevel: vpg.TrendChangeLevel}
}

func (v *view) rowVPGs(r int) []wireNamed {
	p := &v.m.Vpgs[v.m.Rows[r].VPG]
	return []wireNamed{named(p.ID, p.Name)}
}

func (v *view) encryptionMetricsVMs() error {
	v.out.open()
	for r := range v.m.Rows {
		row := &v.m.Rows[r]
		w := wireMetricsVM{AssociatedVpgs: v.rowVPGs(r), EncryptionMetrics: v.rowEncryptionMetrics(r, 1),
			Link: wireRwLink{Href: v.base + "/v1/vms/" + row.VMID, Identifier: row.VMID, InstanceIdentifier: row.VMID, Name: row.Name, Type: "VmApi"}}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}

func (v *view) encryptionMetricsVolumes() error {
	v.out.open()
	for r := range v.m.Rows {
		row := &v.m.Rows[r]
		m := v.rowEncryptionMetrics(r, int64(len(row.Disks)))
		for _, d := range row.Disks {
			w := wireMetricsVolume{AssociatedVm: named(row.VMID, row.Name), AssociatedVpgs: v.rowVPGs(r), EncryptionMetrics: m,
				VolumeIdentifier: row.VMID + "." + d + ".protected"}
			if err := v.out.item(&w); err != nil {
				return err
			}
		}
	}
	return v.out.close()
}

// suspectedVolumes lists the protected volumes of the VMs of suspected VPGs.
func (v *view) suspectedVolumes() error {
	v.out.open()
	for r := range v.m.Rows {
		row := &v.m.Rows[r]
		level := v.m.Fx.Suspicion(row.VPG)
		if level == 0 {
			continue
		}
		ds := &v.m.Datastores[row.ProtDS]
		for _, d := range row.Disks {
			file := row.Name + "_" + d[len(d)-1:] + ".vmdk"
			w := wireSuspectedVolume{AssociatedVm: named(row.VMID, row.Name), AssociatedVpgs: v.rowVPGs(r), Datastore: named(ds.ID, ds.Name),
				Path:           wireVolumePath{FileName: file, Full: "[" + ds.Name + "] " + row.Name + "/" + file, Relative: row.Name + "/" + file},
				Size:           sim.WireUsage{ProvisionedInBytes: row.ProvisionedMB * sim.Mib / int64(len(row.Disks)), UsedInBytes: row.UsedMB * sim.Mib / int64(len(row.Disks))},
				SuspicionLevel: level, VolumeIdentifier: row.VMID + "." + d + ".protected", VolumeType: "protected"}
			if err := v.out.item(&w); err != nil {
				return err
			}
		}
	}
	return v.out.close()
}
