package zvm

// UnprotectedVM is one element of GET /v1/virtualizationsites/{siteIdentifier}/vms: a VM of the
// site's hypervisor that is eligible for protection and not protected. Only its identity is
// decoded; the exporter counts these VMs.
type UnprotectedVM struct {
	VmIdentifier string
	VmName       string
}
