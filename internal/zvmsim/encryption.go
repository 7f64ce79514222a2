package zvmsim

import (
	"fmt"
	"math"
	"strconv"
)

// Encryption detection (Zerto 10, appliance only): /v1/encryptionDetection/state,
// /suspected/vpgs, /suspected/vms and /metrics/vpgs. Both ZVMs of the pair
// report the same suspicions, as they list the same VPGs.

// Suspicion levels the encryption_suspected fault accepts. The 10.0 U6 spec
// gives SuspicionLevel and TrendChangeLevel as bare integers; the simulator
// uses 1 (lowest) to 3 (highest) for a suspicion and 0 for none.
const (
	minSuspicionLevel     = 1
	maxSuspicionLevel     = 3
	defaultSuspicionLevel = "3"
)

// blocksPerMiB converts MB written into the 512-byte logical blocks in which
// Zerto counts encrypted and unencrypted data.
const blocksPerMiB = mib / 512

// encryptionWindow is the span of writes one metrics/vpgs sample covers.
const encryptionWindow = 60 // seconds

// baselineEncryptedRatio is the share of writes that look encrypted on a
// healthy VM (compressed archives, TLS caches, encrypted files).
const baselineEncryptedRatio = 0.02

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

// validateSuspicion checks an encryption_suspected fault and fills in its
// default level.
func (m *model) validateSuspicion(f Fault) (Fault, error) {
	if f.VPG == "" {
		return f, fmt.Errorf("%s needs a vpg", f.Kind)
	}
	if _, ok := m.vpgByName(f.VPG); !ok {
		return f, fmt.Errorf("unknown VPG %q", f.VPG)
	}
	if f.Level == "" {
		f.Level = defaultSuspicionLevel
	}
	if l, err := strconv.Atoi(f.Level); err != nil || l < minSuspicionLevel || l > maxSuspicionLevel {
		return f, fmt.Errorf("level %q is not a suspicion level (%d-%d)", f.Level, minSuspicionLevel, maxSuspicionLevel)
	}
	return f, nil
}

// suspicion returns the suspicion level of VPG i, 0 when none. The highest
// of several faults on one VPG wins.
func (fx *effects) suspicion(i int) int { return fx.cyber.suspected[i] }

func (v *view) rwVPGLink(i int) wireRwLink {
	p := &v.m.vpgs[i]
	return wireRwLink{Href: v.base + "/v1/vpgs/" + p.id, Identifier: p.id, Name: p.name, Type: "VpgApi"}
}

func (v *view) encryptionState() error {
	return v.out.value(wireEncryptionState{EncryptionDetectionEnabled: true})
}

func (v *view) suspectedVPGs() error {
	v.out.open()
	for i := range v.m.vpgs {
		level := v.m.fx.suspicion(i)
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
	for r := range v.m.rows {
		row := &v.m.rows[r]
		level := v.m.fx.suspicion(row.vpg)
		if level == 0 {
			continue
		}
		s, ok := byVM[row.vmID]
		if !ok {
			s = &vmSuspicion{row: r}
			byVM[row.vmID] = s
			order = append(order, row.vmID)
		}
		s.level = max(s.level, level)
		p := &v.m.vpgs[row.vpg]
		s.vpgs = append(s.vpgs, named(p.id, p.name))
	}
	v.out.open()
	for _, id := range order {
		s := byVM[id]
		row := &v.m.rows[s.row]
		w := wireSuspectedVM{AssociatedVpgs: s.vpgs, SuspicionLevel: s.level,
			Link: wireRwLink{Href: v.base + "/v1/vms/" + row.vmID, Identifier: row.vmID,
				InstanceIdentifier: row.vmID, Name: row.name, Type: "VmApi"}}
		if err := v.out.item(w); err != nil {
			return err
		}
	}
	return v.out.close()
}

// encryptionMetrics is what metrics/vpgs reports for VPG i: the writes of
// the last encryptionWindow seconds, in 512-byte blocks, split by whether
// they look encrypted. A suspicion raises the encrypted share with its level.
func (v *view) encryptionMetrics(i int, l *vpgLive) wireEncryptionMetrics {
	total := l.throughput * encryptionWindow * blocksPerMiB
	ratio, trend := baselineEncryptedRatio, 0
	if level := v.m.fx.suspicion(i); level > 0 {
		ratio, trend = 0.5+0.15*float64(level), level
	}
	enc := int64(math.Round(total * ratio))
	return wireEncryptionMetrics{EncryptedData: enc, NonEncryptedData: int64(math.Round(total)) - enc, TrendChangeLevel: trend}
}

func (v *view) encryptionMetricsVPGs() error {
	lives := v.live()
	v.out.open()
	for i := range v.m.vpgs {
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
	Size             wireUsage      `json:"Size"`
	SuspicionLevel   int            `json:"SuspicionLevel"`
	VolumeIdentifier string         `json:"VolumeIdentifier"`
	VolumeType       string         `json:"VolumeType"`
}

// rowEncryptionMetrics splits VPG metrics among a VM row's disks by the row's share of the VPG's
// throughput: what metrics/vms and metrics/volumes report.
func (v *view) rowEncryptionMetrics(r int, parts int64) wireEncryptionMetrics {
	row := &v.m.rows[r]
	l := &v.live()[row.vpg]
	vpg := v.encryptionMetrics(row.vpg, l)
	share := 0.0
	if l.throughput > 0 {
		share = v.m.rowThroughput(r, v.now) / l.throughput / float64(parts)
	}
	return wireEncryptionMetrics{EncryptedData: int64(math.Round(float64(vpg.EncryptedData) * share)),
		NonEncryptedData: int64(math.Round(float64(vpg.NonEncryptedData) * share)), TrendChangeLevel: vpg.TrendChangeLevel}
}

func (v *view) rowVPGs(r int) []wireNamed {
	p := &v.m.vpgs[v.m.rows[r].vpg]
	return []wireNamed{named(p.id, p.name)}
}

func (v *view) encryptionMetricsVMs() error {
	v.out.open()
	for r := range v.m.rows {
		row := &v.m.rows[r]
		w := wireMetricsVM{AssociatedVpgs: v.rowVPGs(r), EncryptionMetrics: v.rowEncryptionMetrics(r, 1),
			Link: wireRwLink{Href: v.base + "/v1/vms/" + row.vmID, Identifier: row.vmID, InstanceIdentifier: row.vmID, Name: row.name, Type: "VmApi"}}
		if err := v.out.item(&w); err != nil {
			return err
		}
	}
	return v.out.close()
}

func (v *view) encryptionMetricsVolumes() error {
	v.out.open()
	for r := range v.m.rows {
		row := &v.m.rows[r]
		m := v.rowEncryptionMetrics(r, int64(len(row.disks)))
		for _, d := range row.disks {
			w := wireMetricsVolume{AssociatedVm: named(row.vmID, row.name), AssociatedVpgs: v.rowVPGs(r), EncryptionMetrics: m,
				VolumeIdentifier: row.vmID + "." + d + ".protected"}
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
	for r := range v.m.rows {
		row := &v.m.rows[r]
		level := v.m.fx.suspicion(row.vpg)
		if level == 0 {
			continue
		}
		ds := &v.m.datastores[row.protDS]
		for _, d := range row.disks {
			file := row.name + "_" + d[len(d)-1:] + ".vmdk"
			w := wireSuspectedVolume{AssociatedVm: named(row.vmID, row.name), AssociatedVpgs: v.rowVPGs(r), Datastore: named(ds.id, ds.name),
				Path:           wireVolumePath{FileName: file, Full: "[" + ds.name + "] " + row.name + "/" + file, Relative: row.name + "/" + file},
				Size:           wireUsage{ProvisionedInBytes: row.provisionedMB * mib / int64(len(row.disks)), UsedInBytes: row.usedMB * mib / int64(len(row.disks))},
				SuspicionLevel: level, VolumeIdentifier: row.vmID + "." + d + ".protected", VolumeType: "protected"}
			if err := v.out.item(&w); err != nil {
				return err
			}
		}
	}
	return v.out.close()
}
