package sim

import (
	"fmt"
	"math"
)

// size is the scale of a generated model.
type size struct {
	vpgs, vms, vras int
}

// minVMs keeps a scaled model big enough for its fixed features: an
// initialising VPG, a VM in two VPGs and the three journal limit types.
const minVMs = 5

// LookupProfile returns the size of a named profile, scaled to vms VMs when
// vms > 0. VPGs and VRAs keep the profile's proportions; VRAs come in pairs,
// one half on each site.
func LookupProfile(name string, vms int) (size, error) {
	var p size
	switch name {
	case "demo":
		p = size{vpgs: 24, vms: 120, vras: 8}
	case "small":
		p = size{vpgs: 100, vms: 500, vras: 20}
	case "large":
		p = size{vpgs: 2000, vms: 10000, vras: 500}
	default:
		return size{}, fmt.Errorf("unknown profile %q (want demo, small or large)", name)
	}
	if vms == 0 {
		return p, nil
	}
	if vms < minVMs {
		return size{}, fmt.Errorf("VMs %d is below the minimum of %d", vms, minVMs)
	}
	scale := func(n int) int { return int(math.Round(float64(n) * float64(vms) / float64(p.vms))) }
	return size{
		vpgs: max(2, min(scale(p.vpgs), vms-1)),
		vms:  vms,
		vras: max(2, scale(p.vras)/2*2),
	}, nil
}
