package collector

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim"
)

// TestRepositorySecretsDropped: the storage secrets of /v1/ltr/repositories reach neither the
// decoded snapshot, nor the logs, nor the exposition.
func TestRepositorySecretsDropped(t *testing.T) {
	r := newCyberRig(t, zvmsim.FlavourAppliance)
	var raw []map[string]any
	r.raw(t, "/v1/ltr/repositories", &raw)
	secrets := []string{zvmsim.SimS3SecretKey, zvmsim.SimSMBPassword, zvmsim.SimAzureAppKey}
	for _, s := range secrets {
		if !bytesContain(raw, s) {
			t.Fatalf("the simulator does not send %q: the test would prove nothing", s)
		}
	}
	if len(r.snap.EJCRepositories) != len(raw) {
		t.Fatalf("%d repositories decoded, the ZVM sent %d", len(r.snap.EJCRepositories), len(raw))
	}
	var held []string
	collectStrings(reflect.ValueOf(r.snap), map[uintptr]bool{}, &held)
	for _, s := range secrets {
		for _, h := range held {
			if strings.Contains(h, s) {
				t.Errorf("the snapshot holds the secret %q", s)
			}
		}
		if strings.Contains(r.logs.String(), s) {
			t.Errorf("the logs hold the secret %q", s)
		}
		if strings.Contains(r.text, s) {
			t.Errorf("the exposition holds the secret %q", s)
		}
	}
	if len(held) == 0 || !strings.Contains(r.logs.String(), "level=") {
		t.Errorf("nothing walked (%d strings) or nothing logged: the checks above prove nothing", len(held))
	}
}

func bytesContain(v any, s string) bool {
	b, _ := json.Marshal(v)
	return bytes.Contains(b, []byte(s))
}

// collectStrings appends every string reachable from v (through pointers, structs, slices, maps
// and interfaces) to out.
func collectStrings(v reflect.Value, seen map[uintptr]bool, out *[]string) {
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		collectStrings(v.Elem(), seen, out)
	case reflect.Interface:
		if !v.IsNil() {
			collectStrings(v.Elem(), seen, out)
		}
	case reflect.Struct:
		for _, f := range v.Fields() {
			collectStrings(f, seen, out)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			collectStrings(v.Index(i), seen, out)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			collectStrings(k, seen, out)
			collectStrings(v.MapIndex(k), seen, out)
		}
	}
}
