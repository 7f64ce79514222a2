package zvm

import "context"

// UnprotectedVM is one element of GET /v1/virtualizationsites/{siteIdentifier}/vms: a VM of the
// site's hypervisor that is eligible for protection and not protected. Only its identity is
// decoded; the exporter counts these VMs.
type UnprotectedVM struct {
	VmIdentifier string
	VmName       string
}

// UnprotectedVMs lists the unprotected VMs of the site siteID (the local site's identifier).
func (c *Client) UnprotectedVMs(ctx context.Context, siteID string) ([]UnprotectedVM, error) {
	return get(ctx, c, resource{ep: EndpointUnprotectedVMs, id: siteID}, list[UnprotectedVM]())
}
