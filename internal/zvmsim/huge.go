package zvmsim

import (
	"bytes"
	"net/http"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

// writeHugeBody streams a JSON array of the given shape and about size bytes, without holding
// it: the body is a repeated chunk. It stops when the client goes away.
func writeHugeBody(w http.ResponseWriter, shape string, size int64) {
	var head, unit, tail string
	switch shape {
	case sim.HugeEmptyObjects:
		head, unit, tail = "[{}", ",{}", "]"
	case sim.HugeLongString:
		head, unit, tail = `[{"VmName":"`, "x", `"}]`
	default:
		head, unit, tail = `[{}`,
			`,{"VmName":"vm-0000001","VmIdentifier":"a1b2c3d4-0001","VpgName":"vpg-001","Status":1}`, "]"
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	chunk := bytes.Repeat([]byte(unit), max(1, (64<<10)/len(unit)))
	if _, err := w.Write([]byte(head)); err != nil {
		return
	}
	for n := int64(len(head)); n < size; n += int64(len(chunk)) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	_, _ = w.Write([]byte(tail))
}
