package zvm

import (
	"fmt"
	"reflect"

	"github.com/zerto-exporter/zerto_exporter/internal/jsonstream"
)

// Hand-written decoders for the three lists that grow with the number of VMs (/v1/vms,
// /v1/statistics/vms, /v1/vpgs): encoding/json decoded them at about 120 MB/s, a third of a
// refresh's CPU at 10,000 VMs (docs/performance.md). Each type lists its fields in a member
// method; TestStreamDecodersMatchEncodingJSON, TestStreamDecodersEdgeCases and the fuzz targets
// FuzzDecodeVMs, FuzzDecodeVPGs and FuzzDecodeVMStatistics hold the result equal to
// encoding/json's, field for field, on every input.

// member decodes the value of one key into its field and reports whether key names one.
type member interface {
	member(d *jsonstream.Decoder, key []byte) bool
}

// readObject decodes an object into v, matching keys exactly and then case-insensitively, and
// skipping (while checking) the values of keys v does not have.
func readObject(d *jsonstream.Decoder, v member, fields *jsonstream.Fields) {
	for key := range d.Members() {
		if v.member(d, key) {
			continue
		}
		if name := fields.Fold(key); name == nil || !v.member(d, name) {
			d.Skip()
		}
	}
}

// readPtr decodes an object into *p, allocating it if needed, or sets *p to nil for null.
func readPtr[T any, P interface {
	*T
	member
}](d *jsonstream.Decoder, p **T, fields *jsonstream.Fields) {
	if d.Null() {
		*p = nil
		return
	}
	if *p == nil {
		*p = new(T)
	}
	readObject(d, P(*p), fields)
}

func readTime(d *jsonstream.Decoder, t *Time) {
	if d.Null() {
		*t = Time{}
		return
	}
	if s, ok := d.StringBytes(); ok {
		t.set(string(s))
	}
}

// readFloat decodes a number or null into n; null unsets it, as Null's UnmarshalJSON does.
func readFloat(d *jsonstream.Decoder, n *Null[float64]) {
	if d.Null() {
		*n = Null[float64]{}
		return
	}
	v := n.V
	d.ReadFloat(&v)
	*n = Null[float64]{V: v, Valid: true} // on a type error d.Err is set and the list is refused
}

// readInt is readFloat for integer codes.
func readInt(d *jsonstream.Decoder, n *Null[int]) {
	if d.Null() {
		*n = Null[int]{}
		return
	}
	v := n.V
	d.ReadInt(&v)
	*n = Null[int]{V: v, Valid: true}
}

var (
	vmFields           = jsonstream.FieldsOf(reflect.TypeFor[VM]())
	vmStatisticsFields = jsonstream.FieldsOf(reflect.TypeFor[VMStatistics]())
	vpgFields          = jsonstream.FieldsOf(reflect.TypeFor[VPG]())
	linkFields         = jsonstream.FieldsOf(reflect.TypeFor[Link]())
	journalLimitFields = jsonstream.FieldsOf(reflect.TypeFor[JournalLimit]())
	historyFields      = jsonstream.FieldsOf(reflect.TypeFor[HistoryStatus]())
	checkpointFields   = jsonstream.FieldsOf(reflect.TypeFor[Checkpoint]())
	failSafeFields     = jsonstream.FieldsOf(reflect.TypeFor[FailSafeHistory]())
	processesFields    = jsonstream.FieldsOf(reflect.TypeFor[ActiveProcesses]())
)

func (v *VM) member(d *jsonstream.Decoder, key []byte) bool {
	switch string(key) {
	case "VmIdentifier":
		d.ReadString(&v.VmIdentifier)
	case "VmName":
		d.ReadString(&v.VmName)
	case "VpgIdentifier":
		d.ReadInterned(&v.VpgIdentifier)
	case "VpgName":
		d.ReadInterned(&v.VpgName)
	case "ActualRPO":
		readFloat(d, &v.ActualRPO)
	case "ThroughputInMB":
		readFloat(d, &v.ThroughputInMB)
	case "IOPs":
		readFloat(d, &v.IOPs)
	case "JournalUsedStorageMb":
		readFloat(d, &v.JournalUsedStorageMb)
	case "JournalHardLimit":
		readPtr(d, &v.JournalHardLimit, journalLimitFields)
	case "JournalWarningThreshold":
		readPtr(d, &v.JournalWarningThreshold, journalLimitFields)
	case "ProvisionedStorageInMB":
		readFloat(d, &v.ProvisionedStorageInMB)
	case "LastTest":
		readTime(d, &v.LastTest)
	case "OwningHostIdentifier":
		d.ReadInterned(&v.OwningHostIdentifier)
	case "OwningHostName":
		d.ReadInterned(&v.OwningHostName)
	case "RecoveryHostIdentifier":
		d.ReadInterned(&v.RecoveryHostIdentifier)
	case "RecoveryHostName":
		d.ReadInterned(&v.RecoveryHostName)
	case "Link":
		readPtr(d, &v.Link, linkFields)
	default:
		return false
	}
	return true
}

func (l *Link) member(d *jsonstream.Decoder, key []byte) bool {
	switch string(key) {
	case "href":
		d.ReadInterned(&l.Href)
	case "identifier":
		d.ReadInterned(&l.Identifier)
	case "type":
		d.ReadInterned(&l.Type)
	default:
		return false
	}
	return true
}

func (j *JournalLimit) member(d *jsonstream.Decoder, key []byte) bool {
	switch string(key) {
	case "LimitType":
		readInt(d, &j.LimitType)
	case "LimitValue":
		readFloat(d, &j.LimitValue)
	default:
		return false
	}
	return true
}

func (s *VMStatistics) member(d *jsonstream.Decoder, key []byte) bool {
	switch string(key) {
	case "VmIdentifier":
		d.ReadString(&s.VmIdentifier)
	case "VpgIdentifier":
		d.ReadInterned(&s.VpgIdentifier)
	case "IoOperationsCounter":
		readFloat(d, &s.IoOperationsCounter)
	case "WriteCounterInMBs":
		readFloat(d, &s.WriteCounterInMBs)
	case "SyncCounterInMBs":
		readFloat(d, &s.SyncCounterInMBs)
	case "NetworkTrafficCounterInMBs":
		readFloat(d, &s.NetworkTrafficCounterInMBs)
	case "SampleTime":
		readTime(d, &s.SampleTime)
	default:
		return false
	}
	return true
}

func (v *VPG) member(d *jsonstream.Decoder, key []byte) bool {
	switch string(key) {
	case "VpgIdentifier":
		d.ReadInterned(&v.VpgIdentifier)
	case "VpgName":
		d.ReadInterned(&v.VpgName)
	case "OrganizationName":
		d.ReadString(&v.OrganizationName)
	case "ServiceProfileName":
		d.ReadString(&v.ServiceProfileName)
	case "ServiceProfile":
		readPtr(d, &v.ServiceProfile, linkFields)
	case "ServiceProfileIdentifier":
		d.ReadInterned(&v.ServiceProfileIdentifier)
	case "Priority":
		readInt(d, &v.Priority)
	case "Status":
		readInt(d, &v.Status)
	case "SubStatus":
		readInt(d, &v.SubStatus)
	case "AlertStatus":
		readInt(d, &v.AlertStatus)
	case "ActualRPO":
		readFloat(d, &v.ActualRPO)
	case "ConfiguredRpoSeconds":
		readFloat(d, &v.ConfiguredRpoSeconds)
	case "HistoryStatusApi":
		readPtr(d, &v.HistoryStatusApi, historyFields)
	case "FailSafeHistory":
		readPtr(d, &v.FailSafeHistory, failSafeFields)
	case "ThroughputInMB":
		readFloat(d, &v.ThroughputInMB)
	case "IOPs":
		readFloat(d, &v.IOPs)
	case "UsedStorageInMB":
		readFloat(d, &v.UsedStorageInMB)
	case "ProvisionedStorageInMB":
		readFloat(d, &v.ProvisionedStorageInMB)
	case "VmsCount":
		readFloat(d, &v.VmsCount)
	case "LastTest":
		readTime(d, &v.LastTest)
	case "ProtectedSite":
		readPtr(d, &v.ProtectedSite, linkFields)
	case "RecoverySite":
		readPtr(d, &v.RecoverySite, linkFields)
	case "ProtectedSiteName":
		d.ReadString(&v.ProtectedSiteName)
	case "RecoverySiteName":
		d.ReadString(&v.RecoverySiteName)
	case "SourceSite":
		d.ReadString(&v.SourceSite)
	case "TargetSite":
		d.ReadString(&v.TargetSite)
	case "ProgressPercentage":
		readFloat(d, &v.ProgressPercentage)
	case "ActiveProcessesApi":
		readPtr(d, &v.ActiveProcessesApi, processesFields)
	default:
		return false
	}
	return true
}

func (h *HistoryStatus) member(d *jsonstream.Decoder, key []byte) bool {
	switch string(key) {
	case "ActualHistoryInMinutes":
		readFloat(d, &h.ActualHistoryInMinutes)
	case "ConfiguredHistoryInMinutes":
		readFloat(d, &h.ConfiguredHistoryInMinutes)
	case "EarliestCheckpoint":
		readPtr(d, &h.EarliestCheckpoint, checkpointFields)
	default:
		return false
	}
	return true
}

func (c *Checkpoint) member(d *jsonstream.Decoder, key []byte) bool {
	switch string(key) {
	case "CheckpointIdentifier":
		d.ReadString(&c.CheckpointIdentifier)
	case "TimeStamp":
		readTime(d, &c.TimeStamp)
	case "Tag":
		d.ReadString(&c.Tag)
	default:
		return false
	}
	return true
}

func (f *FailSafeHistory) member(d *jsonstream.Decoder, key []byte) bool {
	switch string(key) {
	case "ActualFailSafeHistory":
		readFloat(d, &f.ActualFailSafeHistory)
	case "ConfiguredFailSafeHistory":
		readFloat(d, &f.ConfiguredFailSafeHistory)
	default:
		return false
	}
	return true
}

// emptyObject is the content of RunningFailOverTestApi: any object, only its presence counts.
type emptyObject = struct{}

func (p *ActiveProcesses) member(d *jsonstream.Decoder, key []byte) bool {
	if string(key) != "RunningFailOverTestApi" {
		return false
	}
	if d.Null() {
		p.RunningFailOverTestApi = nil
		return true
	}
	if p.RunningFailOverTestApi == nil {
		p.RunningFailOverTestApi = &emptyObject{}
	}
	for range d.Members() {
		d.Skip()
	}
	return true
}

// handwrittenList decodes a JSON array (or null) of a type with a hand-written decoder into *items,
// with the same element budget as jsonList.
type handwrittenList[T any, P interface {
	*T
	member
}] struct {
	items  *[]T
	fields *jsonstream.Fields
}

func (l handwrittenList[T, P]) decodeHandwritten(d *jsonstream.Decoder, b *body) error {
	// Like jsonList's first json.Decoder.Token: an object is refused at its '{', a scalar once read.
	if c, ok := d.Peek(); ok && c != '[' && c != 'n' && jsonstream.Kind(c) != "" {
		if c != '{' {
			if d.Skip(); d.Err() != nil {
				return d.Err()
			}
		}
		return fmt.Errorf("want a JSON array, got %s", jsonstream.Kind(c))
	}
	for i := range d.Elements() {
		if err := overBudget[T](i+1, b.limit); err != nil {
			return err
		}
		b.startValue()
		var item T
		if !d.Null() {
			readObject(d, P(&item), l.fields)
		}
		if err := d.Err(); err != nil {
			return fmt.Errorf("element %d: %w", i, err)
		}
		appendWithin(l.items, item, b.limit)
	}
	return d.Err()
}
