package zvmsim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

// specFile is the ZVM 10.0 U6 OpenAPI document inside the sample corpus.
const specFile = "spec/zvm-10.0_U6-swagger.json"

// loadSpec reads the spec from the sample corpus and reshapes its schemas for
// the wire: property names lower-cased (the spec is camelCase, the wire
// PascalCase, links lower-case), every property required (a ZVM sends every
// property of its objects, null or not) and further properties allowed (real
// ZVMs send identifiers the spec omits, such as VpgIdentifier).
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	path := filepath.Join(testutil.ZVMSamples(t), specFile)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the sample corpus has no spec: %v", err)
	}
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	seen := map[*openapi3.Schema]bool{}
	for _, s := range doc.Components.Schemas {
		wireSchema(s, seen)
	}
	for _, item := range doc.Paths.Map() {
		if item.Get == nil {
			continue
		}
		for _, resp := range item.Get.Responses.Map() {
			for _, mt := range resp.Value.Content {
				wireSchema(mt.Schema, seen)
			}
		}
	}
	return doc
}

// realNulls are the object-typed properties (a $ref, which OpenAPI 3.0 cannot mark nullable) that
// real ZVMs send as null, as the sample corpus shows, with a meaning clients rely on: no failover
// test running, no service profile.
var realNulls = map[string]bool{"runningfailovertestapi": true, "serviceprofile": true}

func wireSchema(ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return
	}
	s := ref.Value
	seen[s] = true
	props := openapi3.Schemas{}
	s.Required = nil
	for name, p := range s.Properties {
		if realNulls[strings.ToLower(name)] && p.Ref != "" {
			p = &openapi3.SchemaRef{Value: &openapi3.Schema{AnyOf: openapi3.SchemaRefs{p, {Value: &openapi3.Schema{Nullable: true}}}, Nullable: true}}
		}
		props[strings.ToLower(name)] = p
		s.Required = append(s.Required, strings.ToLower(name))
		wireSchema(p, seen)
	}
	sort.Strings(s.Required)
	s.Properties = props
	s.AdditionalProperties = openapi3.AdditionalProperties{}
	wireSchema(s.Items, seen)
	for _, sub := range slices.Concat(s.AllOf, s.OneOf, s.AnyOf) {
		wireSchema(sub, seen)
	}
}

// lowerKeys lower-cases the names of every object's members.
func lowerKeys(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[strings.ToLower(k)] = lowerKeys(x)
		}
		return out
	case []any:
		for i, x := range v {
			v[i] = lowerKeys(x)
		}
	}
	return v
}

// idSource says where the spec walk takes the value of a path parameter:
// the list it comes from (itself maybe templated) and the member of the
// list's first element that holds it.
type idSource struct {
	list   string
	member []string
}

var idSources = map[string]idSource{
	"alertIdentifier":             {"/v1/alerts", []string{"Link", "identifier"}},
	"datastoreIdentifier":         {"/v1/datastores", []string{"DatastoreIdentifier"}},
	"eventIdentifier":             {"/v1/events", []string{"EventIdentifier"}},
	"repositoryId":                {"/v1/ltr/repositories", []string{"RepositoryIdentifier"}},
	"recoveryOperationIdentifier": {"/v1/reports/recovery", []string{"RecoveryOperationIdentifier"}},
	"serviceProfileIdentifier":    {"/v1/serviceprofiles", []string{"Link", "identifier"}},
	"retentionSetIdentifier":      {"/v1/ltr/catalog/fullretentionsets", []string{"RetentionSetIdentifier"}},
	"orgVdcIdentifier":            {"/v1/virtualizationsites/{siteIdentifier}/orgvdcs", []string{"OrgVdcIdentifier"}},
	"encryptionKeyId":             {"/v1/virtualizationsites/{siteIdentifier}/publiccloud/encryptionkeys", []string{"Identifier"}},
	"nicIdentifier":               {"/v1/vpgSettings/{vpgSettingsIdentifier}/vms/{vmIdentifier}/nics", []string{"NicIdentifier"}},
	"volumeIdentifier":            {"/v1/vpgSettings/{vpgSettingsIdentifier}/vms/{vmIdentifier}/volumes", []string{"VolumeIdentifier"}},
	"taskIdentifier":              {"/v1/tasks", []string{"TaskIdentifier"}},
	"vmIdentifier":                {"/v1/vms", []string{"VmIdentifier"}},
	"vpgIdentifier":               {"/v1/vpgs", []string{"VpgIdentifier"}},
	"vraIdentifier":               {"/v1/vras", []string{"VraIdentifierStr"}},
	"zorgIdentifier":              {"/v1/zorgs", []string{"ZorgIdentifier"}},
	"zsspSessionIdentifier":       {"/v1/zsspsessions", []string{"ZsspSessionIdentifier"}},
	"flrSessionIdentifier":        {"/v1/flrs", []string{"FlrSessionIdentifier"}},
	"vpgSettingsIdentifier":       {"/v1/vpgSettings", []string{"VpgSettingsIdentifier"}},
	"timeStamp":                   {"/v1/vpgSettings/exportedSettings", []string{"TimeStamp"}},
	"clusterIdentifier":           {"/v1/virtualizationsites/{siteIdentifier}/hostclusters", []string{"ClusterIdentifier"}},
	"hostIdentifier":              {"/v1/virtualizationsites/{siteIdentifier}/hosts", []string{"HostIdentifier"}},
}

// siteSources: {siteIdentifier} is a peer site's under /v1/peersites and a
// virtualization site's elsewhere.
var siteSources = map[string]idSource{
	"/v1/peersites/":          {"/v1/peersites", []string{"SiteIdentifier"}},
	"/v1/virtualizationsites": {"/v1/virtualizationsites", []string{"SiteIdentifier"}},
}

// specQueries are the parameters a path needs to answer 200.
var specQueries = map[string]string{"/v1/serverDateTime/dateTimeArgument": "dateTime=2025-03-10T12:00:00.000Z"}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// TestSpecWalk fetches every GET path of the 10.0 U6 spec from an appliance,
// with identifiers from the simulator's own lists, and validates each answer
// against the spec's response schema; a path whose data the model cannot
// give must answer 501 with a Message and be listed in the README. Unknown
// identifiers answer 404.
func TestSpecWalk(t *testing.T) {
	doc := loadSpec(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Options{Profile: "demo", Flavour: FlavourAppliance})
	h.clock.Advance(25 * 60e9) // past the first failover test, so that every list has elements
	templates := make([]string, 0, len(doc.Paths.Map()))
	for p, item := range doc.Paths.Map() {
		if item.Get != nil {
			templates = append(templates, p)
		}
	}
	sort.Strings(templates)
	if len(templates) != 126 {
		t.Errorf("the spec has %d GET paths, want 126", len(templates))
	}
	ids := map[string]string{} // list path -> first element's identifier, "" for an empty list
	var resolve func(t *testing.T, tmpl string) (string, bool)
	resolve = func(t *testing.T, tmpl string) (string, bool) {
		ok := true
		path := pathParam.ReplaceAllStringFunc(tmpl, func(p string) string {
			name := p[1 : len(p)-1]
			src, known := idSources[name]
			if name == "siteIdentifier" {
				for prefix, s := range siteSources {
					if strings.HasPrefix(tmpl, prefix) {
						src, known = s, true
					}
				}
			}
			if !known {
				t.Errorf("%s: no source for {%s}", tmpl, name)
				ok = false
				return p
			}
			list, listOK := resolve(t, src.list)
			if !listOK {
				ok = false
				return p
			}
			id, cached := ids[list]
			if !cached {
				resp, body := h.get(Protected, list)
				if resp.StatusCode == http.StatusOK {
					if elems, isList := decodeGeneric(t, body).([]any); isList && len(elems) > 0 {
						if s, isStr := field(t, elems[0].(map[string]any), src.member...).(string); isStr {
							id = s
						} else {
							t.Errorf("%s: %v is not a string", list, src.member)
						}
					}
				}
				ids[list] = id
			}
			if id == "" {
				ok = false
			}
			return id
		})
		return path, ok
	}
	for _, tmpl := range templates {
		t.Run(strings.TrimPrefix(tmpl, "/"), func(t *testing.T) {
			path, ok := resolve(t, tmpl)
			if !ok {
				if !strings.Contains(string(readme), "`"+tmpl+"`") {
					t.Errorf("no identifier to try (empty list) and not listed in the README")
				}
				return
			}
			if q := specQueries[tmpl]; q != "" {
				path += "?" + q
			}
			resp, body := h.get(Protected, path)
			if resp.StatusCode == http.StatusNotImplemented {
				var e struct{ Message string }
				if json.Unmarshal(body, &e) != nil || e.Message == "" {
					t.Errorf("GET %s: 501 without a Message: %s", path, body)
				}
				if !strings.Contains(string(readme), "`"+tmpl+"`") {
					t.Errorf("GET %s: 501 (%s), and the README does not list it", path, e.Message)
				}
				return
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %s %.300s", path, resp.Status, body)
			}
			var schema *openapi3.SchemaRef
			if r := doc.Paths.Find(tmpl).Get.Responses.Status(http.StatusOK); r != nil {
				if mt := r.Value.Content.Get("application/json"); mt != nil {
					schema = mt.Schema
				}
			}
			var v any
			if err := json.NewDecoder(bytes.NewReader(body)).Decode(&v); err != nil {
				t.Fatalf("GET %s: not JSON: %v", path, err)
			}
			if schema == nil {
				return // the spec documents no body (the LTR repositories)
			}
			if err := schema.Value.VisitJSON(lowerKeys(v), openapi3.MultiErrors()); err != nil {
				t.Errorf("GET %s does not match the spec:\n%s", path, schemaErrors(err))
			}
			if strings.Contains(tmpl, "}") {
				last := tmpl[strings.LastIndexByte(tmpl, '{'):]
				if strings.HasSuffix(tmpl, last) {
					unknown := strings.TrimSuffix(path, path[strings.LastIndexByte(path, '/'):]) + "/00000000-0000-0000-0000-00000000dead"
					if resp, body := h.get(Protected, unknown); resp.StatusCode != http.StatusNotFound {
						t.Errorf("GET %s: %s %.200s, want 404", unknown, resp.Status, body)
					}
				}
			}
		})
	}
}

// schemaErrors lists each distinct mismatch once, as "pointer: reason",
// with array indexes as *.
func schemaErrors(err error) string {
	seen := map[string]bool{}
	var lines []string
	var walk func(err error)
	walk = func(err error) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, x := range e {
				walk(x)
			}
		case *openapi3.SchemaError:
			ptr := e.JSONPointer()
			for i, p := range ptr {
				if _, isIndex := strconv.Atoi(p); isIndex == nil {
					ptr[i] = "*"
				}
			}
			line := "/" + strings.Join(ptr, "/") + ": " + e.Reason
			if !seen[line] {
				seen[line] = true
				lines = append(lines, line)
			}
		default:
			lines = append(lines, err.Error())
		}
	}
	walk(err)
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
