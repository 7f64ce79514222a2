package zvm

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Volume is one element of GET /v1/volumes. Only the fields that place a volume in a VPG and size
// it are decoded; paths, datastores and owning VMs are not.
type Volume struct {
	VolumeType       string
	VolumeIdentifier string
	Size             *VolumeSize
	Vpg              *NamedRef
}

// VolumeSize is a volume's size in bytes.
type VolumeSize struct {
	UsedInBytes        Null[float64]
	ProvisionedInBytes Null[float64]
}

// NamedRef is the {Identifier, Name} reference /v1/volumes uses instead of links.
type NamedRef struct {
	Identifier string
	Name       string
}

// The VolumeType values the exporter reads.
const (
	VolumeTypeJournal = "journal"
	VolumeTypeScratch = "scratch"
)

// volumeTypesRead are the volume types a read of /v1/volumes asks for, one request each.
var volumeTypesRead = []string{VolumeTypeJournal, VolumeTypeScratch}

// VolumeTypesRead returns the volume types a read of /v1/volumes asks for, in the order it asks.
func VolumeTypesRead() []string { return slices.Clone(volumeTypesRead) }

// volumes reads the journal and scratch volumes of the site: GET /v1/volumes?volumeType=journal
// and ?volumeType=scratch. Two filtered requests send far less than the whole list, which on a
// recovery site also holds every recovery disk. A volume of another type (a ZVM that ignored the
// filter) is dropped, so that nothing is counted twice.
func volumes(ctx context.Context, c *Client, r Request) (any, error) {
	var all []Volume
	for _, typ := range volumeTypesRead {
		items, err := get(ctx, c, resource{ep: r.Endpoint, query: url.Values{"volumeType": {typ}}}, list[Volume]())
		if err != nil {
			return nil, fmt.Errorf("%w (volumeType=%s)", err, typ)
		}
		for _, v := range items {
			if strings.EqualFold(v.VolumeType, typ) {
				v.VolumeType = typ
				all = append(all, v)
			}
		}
	}
	return all, nil
}
