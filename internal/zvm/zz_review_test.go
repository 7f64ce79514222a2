package zvm

import (
	"bytes"
	"io"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/jsonstream"
)

type chunkReader struct {
	b   []byte
	rng *rand.Rand
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	if c.rng.Intn(4) == 0 {
		return 0, nil
	}
	n := 1 + c.rng.Intn(7)
	n = min(n, len(p), len(c.b))
	copy(p, c.b[:n])
	c.b = c.b[n:]
	if len(c.b) == 0 && c.rng.Intn(2) == 0 {
		return n, io.EOF
	}
	return n, nil
}

func class(err error) string {
	if err == nil {
		return "ok"
	}
	s := err.Error()
	switch {
	case strings.HasPrefix(s, "empty"):
		return "empty"
	case strings.HasPrefix(s, "truncated"):
		return "truncated"
	case strings.HasPrefix(s, "response exceeds"):
		return "toobig"
	}
	return "other"
}

func cmpReader[T any, P interface {
	*T
	member
}](t *testing.T, b []byte, fields *jsonstream.Fields, mk func() io.Reader, label string, classes map[string]int) {
	t.Helper()
	var want, got []T
	errWant := decodeBody(bytes.NewReader(b), fuzzLimit, jsonList[T]{&want})
	errGot := decodeBody(mk(), fuzzLimit, streamList[T, P]{&got, fields})
	if (errWant == nil) != (errGot == nil) {
		t.Errorf("%s %.120q:\nv1: %v\nst: %v", label, bytes.TrimLeft(b, " "), errWant, errGot)
		return
	}
	if errGot == nil && !reflect.DeepEqual(want, got) {
		t.Errorf("%s %.120q differs:\n%s\n%s", label, bytes.TrimLeft(b, " "), dump(want), dump(got))
	}
	if class(errWant) != class(errGot) {
		classes[class(errWant)+"->"+class(errGot)]++
		if classes[class(errWant)+"->"+class(errGot)] <= 3 {
			t.Logf("class %s %.80q\nv1: %v\nst: %v", label, bytes.TrimLeft(b, " "), errWant, errGot)
		}
	}
}

func TestZZBoundaries(t *testing.T) {
	classes := map[string]int{}
	for _, c := range streamCases {
		if len(c) > 400 {
			continue
		}
		for j := 0; j <= len(c); j++ {
			b := append(bytes.Repeat([]byte(" "), 65536-j), c...)
			mk := func() io.Reader { return bytes.NewReader(b) }
			cmpReader[VM](t, b, vmFields, mk, "VM", classes)
			cmpReader[VPG](t, b, vpgFields, mk, "VPG", classes)
		}
	}
	t.Log(classes)
}

func TestZZChunks(t *testing.T) {
	classes := map[string]int{}
	rng := rand.New(rand.NewSource(1))
	var inputs []string
	inputs = append(inputs, streamCases...)
	inputs = append(inputs, jsonArray(readSample(t, "zertoapiwrapper-mocks/GetVpg.json"), readSample(t, "zertoapiwrapper-mocks/VPGInfo.json")))
	inputs = append(inputs, string(readSample(t, "zertoapiwrapper-mocks/ProtectedVms.json")))
	for _, c := range inputs {
		for k := 0; k < 5; k++ {
			b := []byte(c)
			mk := func() io.Reader { return &chunkReader{b: b, rng: rng} }
			cmpReader[VM](t, b, vmFields, mk, "VM", classes)
			cmpReader[VPG](t, b, vpgFields, mk, "VPG", classes)
			cmpReader[VMStatistics](t, b, vmStatisticsFields, mk, "Stat", classes)
		}
	}
	t.Log(classes)
}
