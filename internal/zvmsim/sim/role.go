package sim

import "fmt"

// Role says which ZVM of the pair a listener or handler speaks for.
type Role int

// The two sites of the simulated pair. All VPGs protect VMs of the Protected
// site and recover them to the Recovery site.
const (
	Protected Role = iota
	Recovery
)

func (r Role) String() string {
	if r == Recovery {
		return "recovery"
	}
	return "protected"
}

// Other is the peer of r.
func (r Role) Other() Role { return 1 - r }

func ParseRole(s string) (Role, error) {
	switch s {
	case "protected":
		return Protected, nil
	case "recovery":
		return Recovery, nil
	}
	return 0, fmt.Errorf("unknown site %q (want protected or recovery)", s)
}

// DefaultUser is the user the simulated ZVMs log their actions under: the default login.
const DefaultUser = "admin"
