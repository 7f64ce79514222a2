package zvmsim

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// volumeTypes are the VolumeType values /v1/volumes sends and its volumeType filter takes.
var volumeTypes = []string{"protected", "recovery", "journal", "scratch", "appliance"}

// scratchTestFill is how full a failover test leaves its scratch volumes at its end.
const scratchTestFill = 0.3

// scratchRatio is how full VPG i's scratch volumes are at now, and whether it has any: a failover
// test writes its test VMs' changes to scratch volumes at the recovery site, filling them to
// scratchTestFill over the test; a scratch_fill fault gives the VPG scratch volumes at its ratio.
func (m *model) scratchRatio(i int, now time.Time) (float64, bool) {
	if r, ok := m.fx.scratch[i]; ok {
		return r, true
	}
	if k, since, ok := m.runningTest(now); ok && m.testedVPG(k) == i {
		return scratchTestFill * min(1, now.Sub(since).Seconds()/testLength.Seconds()), true
	}
	return 0, false
}

// scratchSize is the provisioned and used bytes of row r's scratch volume at ratio: it may grow
// to the VM's journal hard limit (its provisioned size for an unlimited journal).
func (m *model) scratchSize(r int, ratio float64) wireUsage {
	row := &m.rows[r]
	provisioned := int64(row.hard.resolveMB(row.provisionedMB)) * mib
	return wireUsage{ProvisionedInBytes: provisioned, UsedInBytes: int64(ratio * float64(provisioned))}
}

// volumeTypeFilter reads the volumeType filter: one of volumeTypes in any case, or "" for all.
func volumeTypeFilter(q url.Values) (string, error) {
	for k, vs := range q {
		if !strings.EqualFold(k, "volumeType") || len(vs) == 0 || vs[0] == "" {
			continue
		}
		t, ok := canonical(volumeTypes, vs[0])
		if !ok {
			return "", badRequestf("The value '%s' is not valid for volumeType (want one of %s).", vs[0], strings.Join(volumeTypes, ", "))
		}
		return t, nil
	}
	return "", nil
}

// volumeList lists the protected disks on the protected site, and the recovery disks, journals,
// scratch volumes (of running failover tests and scratch_fill faults) and VRA appliance disks on
// the recovery site; ?volumeType= keeps one type.
func (v *view) volumeList(q url.Values) error {
	want, err := volumeTypeFilter(q)
	if err != nil {
		return err
	}
	// The identifier filters, on the members they name (null members match nothing).
	var ids []func(w *wireVolume) bool
	for param, member := range map[string]func(w *wireVolume) *string{
		"vpgIdentifier":         func(w *wireVolume) *string { return w.Vpg.Identifier },
		"datastoreIdentifier":   func(w *wireVolume) *string { return w.Datastore.Identifier },
		"protectedVmIdentifier": func(w *wireVolume) *string { return w.ProtectedVm.Identifier },
		"owningVmIdentifier":    func(w *wireVolume) *string { return w.OwningVm.Identifier },
	} {
		if id := queryValue(q, param); id != "" {
			ids = append(ids, func(w *wireVolume) bool { got := member(w); return got != nil && strings.EqualFold(*got, id) })
		}
	}
	v.out.open()
	vol := func(w wireVolume) error {
		if want != "" && w.VolumeType != want {
			return nil
		}
		for _, keep := range ids {
			if !keep(&w) {
				return nil
			}
		}
		return v.out.item(&w)
	}
	path := func(ds, dir, file string) wireVolumePath {
		return wireVolumePath{FileName: file, Full: "[" + ds + "] " + dir + "/" + file, Relative: dir + "/" + file}
	}
	for r := range v.m.rows {
		row := &v.m.rows[r]
		p := &v.m.vpgs[row.vpg]
		vpgRef := named(p.id, p.name)
		vm := named(row.vmID, row.name)
		perDisk := int64(len(row.disks))
		ds := &v.m.datastores[row.protDS]
		owner := vm
		volumeType := "protected"
		if v.role == Recovery {
			ds = &v.m.datastores[row.recDS]
			a := &v.m.vras[row.recVRA]
			owner = named(fmt.Sprintf("%s.vm-%d", v.m.sites[Recovery].vcenterID, 5000+row.recVRA), a.name)
			volumeType = "recovery"
			journal := v.m.journalUsedMB(r, v.now) * mib
			if err := vol(wireVolume{Datastore: named(ds.id, ds.name), IsThinProvisioned: true, OwningVm: owner,
				Path: path(ds.name, a.name, row.name+"-journal.vmdk"), ProtectedVm: vm,
				Size: wireUsage{ProvisionedInBytes: journal, UsedInBytes: journal}, VolumeIdentifier: row.vmID + ".journal." + p.id,
				VolumeType: "journal", Vpg: vpgRef}); err != nil {
				return err
			}
			if ratio, ok := v.m.scratchRatio(row.vpg, v.now); ok {
				if err := vol(wireVolume{Datastore: named(ds.id, ds.name), IsThinProvisioned: true, OwningVm: owner,
					Path: path(ds.name, a.name, row.name+"-scratch.vmdk"), ProtectedVm: vm,
					Size: v.m.scratchSize(r, ratio), VolumeIdentifier: row.vmID + ".scratch." + p.id,
					VolumeType: "scratch", Vpg: vpgRef}); err != nil {
					return err
				}
			}
		}
		for _, d := range row.disks {
			if err := vol(wireVolume{Datastore: named(ds.id, ds.name), IsThinProvisioned: true, OwningVm: owner,
				Path: path(ds.name, row.name, row.name+"_"+d[len(d)-1:]+".vmdk"), ProtectedVm: vm,
				Size:             wireUsage{ProvisionedInBytes: row.provisionedMB * mib / perDisk, UsedInBytes: row.usedMB * mib / perDisk},
				VolumeIdentifier: row.vmID + "." + d + "." + volumeType, VolumeType: volumeType, Vpg: vpgRef}); err != nil {
				return err
			}
		}
	}
	for i := range v.m.vras {
		a := &v.m.vras[i]
		if a.role != v.role {
			continue
		}
		ds := &v.m.datastores[a.ds]
		if err := vol(wireVolume{Datastore: named(ds.id, ds.name), OwningVm: named(fmt.Sprintf("%s.vm-%d", v.m.sites[a.role].vcenterID, 5000+i), a.name),
			Path: path(ds.name, a.name, a.name+".vmdk"), Size: wireUsage{ProvisionedInBytes: 12 << 30, UsedInBytes: 12 << 30},
			VolumeIdentifier: strconv.FormatInt(a.id, 10) + ".appliance", VolumeType: "appliance"}); err != nil {
			return err
		}
	}
	return v.out.close()
}
