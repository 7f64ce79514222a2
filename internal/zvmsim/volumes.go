package zvmsim

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

// volumeTypes are the VolumeType values /v1/volumes sends and its volumeType filter takes.
var volumeTypes = []string{"protected", "recovery", "journal", "scratch", "appliance"}

// volumeTypeFilter reads the volumeType filter: one of volumeTypes in any case, or "" for all.
func volumeTypeFilter(q url.Values) (string, error) {
	for k, vs := range q {
		if !strings.EqualFold(k, "volumeType") || len(vs) == 0 || vs[0] == "" {
			continue
		}
		t, ok := sim.Canonical(volumeTypes, vs[0])
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
	for r := range v.m.Rows {
		row := &v.m.Rows[r]
		p := &v.m.Vpgs[row.VPG]
		vpgRef := named(p.ID, p.Name)
		vm := named(row.VMID, row.Name)
		perDisk := int64(len(row.Disks))
		ds := &v.m.Datastores[row.ProtDS]
		owner := vm
		volumeType := "protected"
		if v.role == sim.Recovery {
			ds = &v.m.Datastores[row.RecDS]
			a := &v.m.Vras[row.RecVRA]
			owner = named(fmt.Sprintf("%s.vm-%d", v.m.Sites[sim.Recovery].VcenterID, 5000+row.RecVRA), a.Name)
			volumeType = "recovery"
			journal := v.m.JournalUsedMB(r, v.now) * sim.Mib
			if err := vol(wireVolume{Datastore: named(ds.ID, ds.Name), IsThinProvisioned: true, OwningVm: owner,
				Path: path(ds.Name, a.Name, row.Name+"-journal.vmdk"), ProtectedVm: vm,
				Size: sim.WireUsage{ProvisionedInBytes: journal, UsedInBytes: journal}, VolumeIdentifier: row.VMID + ".journal." + p.ID,
				VolumeType: "journal", Vpg: vpgRef}); err != nil {
				return err
			}
			if ratio, ok := v.m.ScratchRatio(row.VPG, v.now); ok {
				if err := vol(wireVolume{Datastore: named(ds.ID, ds.Name), IsThinProvisioned: true, OwningVm: owner,
					Path: path(ds.Name, a.Name, row.Name+"-scratch.vmdk"), ProtectedVm: vm,
					Size: v.m.ScratchSize(r, ratio), VolumeIdentifier: row.VMID + ".scratch." + p.ID,
					VolumeType: "scratch", Vpg: vpgRef}); err != nil {
					return err
				}
			}
		}
		for _, d := range row.Disks {
			if err := vol(wireVolume{Datastore: named(ds.ID, ds.Name), IsThinProvisioned: true, OwningVm: owner,
				Path: path(ds.Name, row.Name, row.Name+"_"+d[len(d)-1:]+".vmdk"), ProtectedVm: vm,
				Size:             sim.WireUsage{ProvisionedInBytes: row.ProvisionedMB * sim.Mib / perDisk, UsedInBytes: row.UsedMB * sim.Mib / perDisk},
				VolumeIdentifier: row.VMID + "." + d + "." + volumeType, VolumeType: volumeType, Vpg: vpgRef}); err != nil {
				return err
			}
		}
	}
	for i := range v.m.Vras {
		a := &v.m.Vras[i]
		if a.Role != v.role {
			continue
		}
		ds := &v.m.Datastores[a.Ds]
		if err := vol(wireVolume{Datastore: named(ds.ID, ds.Name), OwningVm: named(fmt.Sprintf("%s.vm-%d", v.m.Sites[a.Role].VcenterID, 5000+i), a.Name),
			Path: path(ds.Name, a.Name, a.Name+".vmdk"), Size: sim.WireUsage{ProvisionedInBytes: 12 << 30, UsedInBytes: 12 << 30},
			VolumeIdentifier: strconv.FormatInt(a.ID, 10) + ".appliance", VolumeType: "appliance"}); err != nil {
			return err
		}
	}
	return v.out.close()
}
