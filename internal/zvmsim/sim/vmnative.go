package sim

// WireVMVolume is a VM's volume; the appliance adds PublicCloudVolumeIdentifier, null for a
// vSphere disk.
type WireVMVolume struct {
	PublicCloudVolumeIdentifier *Null  `json:"PublicCloudVolumeIdentifier,omitempty"`
	VmVolumeIdentifier          string `json:"VmVolumeIdentifier"`
}

type WireNic struct {
	NicIdentifier string `json:"NicIdentifier"`
}

type wireNetworkAdapter struct {
	DisplayName       string   `json:"DisplayName"`
	IpAddresses       []string `json:"IpAddresses"`
	NetworkIdentifier string   `json:"NetworkIdentifier"`
}

type WireVMNetwork struct {
	NetworkAdapters []wireNetworkAdapter `json:"NetworkAdapters"`
}

// WireVMPlatform is a 10.x VM's PlatformInformation: only Azure has members, all null on vSphere.
type WireVMPlatform struct {
	Azure struct {
		MachineSize   *string `json:"MachineSize"`
		ResourceGroup *string `json:"ResourceGroup"`
		Tags          *[]any  `json:"Tags"`
	} `json:"Azure"`
}

// WireVMNative10 holds what the 10.x ZVM adds to a VM of /v1/vms and of a virtualization
// site's VM list; it is built once per VM.
type WireVMNative10 struct {
	IsAgentInstalled     bool           `json:"IsAgentInstalled"`
	Nics                 []WireNic      `json:"Nics"`
	PlatformInformation  WireVMPlatform `json:"PlatformInformation"`
	VmNetworkInformation WireVMNetwork  `json:"VmNetworkInformation"`
	Volumes              []WireVMVolume `json:"Volumes"`
}

type WireUsage struct {
	ProvisionedInBytes int64 `json:"ProvisionedInBytes"`
	UsedInBytes        int64 `json:"UsedInBytes"`
}

// Null is a member the appliance sends as null and the Windows ZVM does not send: a nil *null
// is left out (omitempty), &jsonNull is written as null. Unlike a json.RawMessage in an
// interface, it costs no allocation per element.
type Null struct{}

var nullJSON = []byte("null")

func (Null) MarshalJSON() ([]byte, error) { return nullJSON, nil }

// JSONNull is the value a *null member points to.
var JSONNull Null
