package zvm

import "context"

// The models of Zerto 10 Extended Journal Copy (formerly long-term retention, "LTR"), appliance
// only; a Windows ZVM and ZVMs before 10.0 answer 404 (ErrNotSupported).

// EJCStatuses names LtrVpgStatusApi codes. The spec lists 0, 1 and 2 without names, so the label
// value is the code as sent; other codes are Unknown.
var EJCStatuses = []string{"0", "1", "2"}

// GiB is the byte factor assumed for the repositories' "GB" fields (the spec gives no unit
// factor; the ZVM's "MB" fields are mebibytes).
const GiB = 1 << 30

// EJCVPGHealth is one element of the Vpgs list of GET /v1/ltr/health/vpgs.
type EJCVPGHealth struct {
	VpgId                   string
	VpgName                 string
	LtrVpgStatus            *int
	SuccessRate             *EJCSuccessRate
	DateOfLastRun           Time
	TimeOfLastSuccessfulRun Time
	RepositoryName          string
	AlertTips               *EJCAlertTips
}

// EJCSuccessRate compares the retention sets the policy expects with those that succeeded.
type EJCSuccessRate struct {
	ExpectedRetentionSets         *int
	ActualSuccessfulRetentionSets *int
}

// EJCAlertTips counts the alerts of one VPG's copies.
type EJCAlertTips struct {
	TotalNumberOfErrors   *int
	TotalNumberOfWarnings *int
}

// EJCRepository is one element of GET /v1/ltr/repositories (RepositoriesSettingsApi). The payload
// also carries storage credentials (S3SecretKey, S3AccessKey, AzureAppKey, SMB and Catalyst
// Password): this model declares none of them, so the decoder skips them and they are never held.
type EJCRepository struct {
	RepositoryIdentifier string
	RepositoryName       string
	TotalCapacityGB      *int64
	UsedCapacityGB       *int64
	FreeCapacityGB       *int64
	RepositoryState      *EJCRepositoryState
	// The storage object that is set says the repository's kind; only the immutable kinds'
	// immutability fields are read, the others' presence alone.
	S3           *EJCImmutability `json:"S3"`
	S3Compatible *EJCImmutability `json:"S3-Compatible"`
	Azure        *EJCImmutability `json:"Azure"`
	Smb          *struct{}        `json:"Smb"`
	Nfs          *struct{}        `json:"Nfs"`
	Catalyst     *struct{}        `json:"Catalyst"`
}

// EJCRepositoryState is a repository's RepositoryState, an alternative source of its sizes.
type EJCRepositoryState struct {
	AllocatedSpaceInGB *int64
	AvailableSpaceInGB *int64
	UsedSpaceInGB      *int64
}

// EJCImmutability is the immutability part of an S3, S3-compatible or Azure repository.
type EJCImmutability struct {
	IsImmutable      bool
	ImmutabilityDays *int
}

// Immutable reports whether the repository's storage locks its copies, and for how many days
// (nil when not said). ok is false when the payload sets no storage object, so that it is unknown.
func (r *EJCRepository) Immutable() (immutable bool, days *int, ok bool) {
	for _, im := range []*EJCImmutability{r.S3, r.S3Compatible, r.Azure} {
		if im != nil {
			if im.IsImmutable {
				return true, im.ImmutabilityDays, true
			}
			ok = true
		}
	}
	return false, nil, ok || r.Smb != nil || r.Nfs != nil || r.Catalyst != nil
}

// ejcHealth is the object GET /v1/ltr/health/vpgs answers.
type ejcHealth struct {
	Vpgs []EJCVPGHealth
}

// ejcHealthVPGs reads GET /v1/ltr/health/vpgs and returns its Vpgs list.
func ejcHealthVPGs(ctx context.Context, c *Client, r Request) (any, error) {
	h, err := get(ctx, c, resource{ep: r.Endpoint}, object[ejcHealth]())
	if err != nil {
		return nil, err
	}
	return h.Vpgs, nil
}
