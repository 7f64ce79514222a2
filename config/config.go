// Package config loads the exporter's YAML file: named modules for /probe targets and the SLA
// targets of VPGs. Decoding is strict, so a misspelt key is an error rather than a silent default,
// and the file never holds a secret: passwords and client secrets come from files it names.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/alecthomas/units"
	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"

	"github.com/zerto-exporter/zerto_exporter/collector"
	"github.com/zerto-exporter/zerto_exporter/internal/baseurl"
	"github.com/zerto-exporter/zerto_exporter/internal/boundedfile"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// Config is the whole file.
type Config struct {
	Modules map[string]Module `yaml:"modules,omitempty"`
	SLA     []SLARule         `yaml:"sla,omitempty"`
}

// Module is how to reach one kind of ZVM: the ZVMs its credentials may be sent to, its auth
// flavour, credentials, TLS and collectors.
type Module struct {
	// Targets are the base URLs of the ZVMs this module may reach; /probe refuses any other, so
	// that the module's credentials go only where the operator sent them.
	Targets []string `yaml:"targets,omitempty"`
	Auth    string   `yaml:"auth,omitempty"`
	// SessionAuthMethod is the account kind on a Windows ZVM: windows (default) or vcenter.
	SessionAuthMethod string    `yaml:"session_auth_method,omitempty"`
	Username          string    `yaml:"username,omitempty"`
	PasswordFile      string    `yaml:"password_file,omitempty"`
	ClientID          string    `yaml:"client_id,omitempty"`
	ClientSecretFile  string    `yaml:"client_secret_file,omitempty"`
	Timeout           Duration  `yaml:"timeout,omitempty"`
	CacheTTL          Duration  `yaml:"cache_ttl,omitempty"`
	MaxResponseSize   Size      `yaml:"max_response_size,omitempty"`
	Collectors        []string  `yaml:"collectors,omitempty"`
	TLSConfig         TLSConfig `yaml:"tls_config,omitempty"`
}

// TLSConfig is how a module verifies the ZVM's certificate. Verification is on unless
// insecure_skip_verify is set.
type TLSConfig struct {
	CAFile             string `yaml:"ca_file,omitempty"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify,omitempty"`
}

// SLARule sets SLA targets for the VPGs whose name matches Match, anchored at both ends.
type SLARule struct {
	Match        string   `yaml:"match"`
	RPOTarget    Duration `yaml:"rpo_target,omitempty"`
	RTOTarget    Duration `yaml:"rto_target,omitempty"`
	TestInterval Duration `yaml:"test_interval,omitempty"`

	re *regexp.Regexp
}

// Duration is a Prometheus duration string ("90s", "10m", "30d").
type Duration time.Duration

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return fmt.Errorf("line %d: want a duration string such as 5m", n.Line)
	}
	v, err := model.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration (use a positive Prometheus duration such as 90s, 10m, 30d): %w", n.Line, s, err)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML implements yaml.Marshaler.
func (d Duration) MarshalYAML() (any, error) { return model.Duration(d).String(), nil }

// Size is a positive byte size with a base-2 unit ("64MiB", "512KiB").
type Size units.Base2Bytes

// UnmarshalYAML implements yaml.Unmarshaler.
func (s *Size) UnmarshalYAML(n *yaml.Node) error {
	var str string
	if err := n.Decode(&str); err != nil {
		return fmt.Errorf("line %d: want a size such as 64MiB", n.Line)
	}
	v, err := units.ParseBase2Bytes(str)
	if err != nil || v <= 0 {
		return fmt.Errorf("line %d: %q is not a positive size (use a number with a unit such as 64MiB or 512KiB)", n.Line, str)
	}
	*s = Size(v)
	return nil
}

// MarshalYAML implements yaml.Marshaler.
func (s Size) MarshalYAML() (any, error) { return units.Base2Bytes(s).String(), nil }

// IsZero lets omitempty drop unset durations.
func (d Duration) IsZero() bool { return d == 0 }

// sections name the config types in errors as a user sees them in the file, keyed by the type's
// name as the YAML decoder writes it ("config.SLARule").
var sections = func() map[string]section {
	m := map[string]section{}
	for _, s := range []section{
		{"at the top level", reflect.TypeFor[Config]()},
		{"in a module", reflect.TypeFor[Module]()},
		{"in a tls_config", reflect.TypeFor[TLSConfig]()},
		{"in an sla rule", reflect.TypeFor[SLARule]()},
	} {
		m[s.typ.String()] = s
	}
	return m
}()

type section struct {
	where string
	typ   reflect.Type
}

var unknownField = regexp.MustCompile(`field (\S+) not found in type (config\.\w+)`)

// explain rewrites the YAML decoder's "field x not found in type config.T" into the section of
// the file and the keys it takes, with a hint where a secret was written inline.
func explain(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	msgs := make([]string, len(te.Errors))
	for i, msg := range te.Errors {
		msgs[i] = unknownField.ReplaceAllStringFunc(msg, func(m string) string {
			sub := unknownField.FindStringSubmatch(m)
			key, sec := sub[1], sections[sub[2]]
			if sec.typ == nil {
				return m
			}
			var keys []string
			for field := range sec.typ.Fields() {
				if tag, _, _ := strings.Cut(field.Tag.Get("yaml"), ","); tag != "" {
					keys = append(keys, tag)
				}
			}
			hint := ""
			if (key == "password" || key == "client_secret") && sec.typ == reflect.TypeFor[Module]() {
				hint = "; secrets are never written in the file: put the " + strings.TrimPrefix(key, "client_") +
					" in a file readable by the exporter and name it with " + key + "_file"
			}
			return fmt.Sprintf("unknown key %q %s (keys: %s)%s", key, sec.where, strings.Join(keys, ", "), hint)
		})
	}
	return errors.New(strings.Join(msgs, "; "))
}

// Load reads and validates the file at path, a regular file of at most boundedfile.MaxConfig.
func Load(path string) (*Config, error) {
	b, err := boundedfile.Read(path, boundedfile.MaxConfig)
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, withoutPath(err))
	}
	c, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	return c, nil
}

// Parse decodes and validates a config document.
func Parse(b []byte) (*Config, error) {
	c := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, explain(err)
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) validate() error {
	known := map[string]bool{}
	for _, info := range collector.Available() {
		known[info.Name] = true
	}
	for name, m := range c.Modules {
		if m.Auth != "" && !slices.Contains(zvm.AuthModes, zvm.AuthMode(m.Auth)) {
			return fmt.Errorf("module %q: auth %q is not one of %v", name, m.Auth, zvm.AuthModes)
		}
		if m.SessionAuthMethod != "" && !slices.Contains(zvm.SessionAuthMethods, zvm.SessionAuthMethod(m.SessionAuthMethod)) {
			return fmt.Errorf("module %q: session_auth_method %q is not one of %v", name, m.SessionAuthMethod, zvm.SessionAuthMethods)
		}
		if m.Username == "" && m.ClientSecretFile == "" {
			return fmt.Errorf("module %q: needs username (with password_file) or client_id with client_secret_file", name)
		}
		for _, col := range m.Collectors {
			if !known[col] {
				return fmt.Errorf("module %q: unknown collector %q (known: %s)", name, col, strings.Join(slices.Sorted(maps.Keys(known)), ", "))
			}
		}
		for _, f := range []struct {
			key, path string
			limit     int64
		}{
			{"password_file", m.PasswordFile, boundedfile.MaxSecret},
			{"client_secret_file", m.ClientSecretFile, boundedfile.MaxSecret},
			{"tls_config.ca_file", m.TLSConfig.CAFile, boundedfile.MaxCA},
		} {
			if f.path == "" {
				continue
			}
			if err := checkFile(f.key, f.path, f.limit); err != nil {
				return fmt.Errorf("module %q: %w", name, err)
			}
		}
		if err := m.validateTargets(); err != nil {
			return fmt.Errorf("module %q: %w", name, err)
		}
	}
	for i := range c.SLA {
		r := &c.SLA[i]
		if r.Match == "" {
			return fmt.Errorf("sla[%d]: match is required", i)
		}
		re, err := regexp.Compile("^(?:" + r.Match + ")$")
		if err != nil {
			return fmt.Errorf("sla[%d] (match %q): bad regular expression: %w", i, r.Match, err)
		}
		r.re = re
		if r.RPOTarget == 0 && r.RTOTarget == 0 && r.TestInterval == 0 {
			return fmt.Errorf("sla[%d] (match %q): sets none of rpo_target, rto_target, test_interval", i, r.Match)
		}
	}
	return nil
}

// validateTargets checks that the module lists the ZVMs it may reach, each a valid base URL.
func (m Module) validateTargets() error {
	if len(m.Targets) == 0 {
		return errors.New("lists no targets: add targets: with the base URLs of the ZVMs its credentials may be sent to, " +
			"e.g. targets: [https://zvm.example.com]; /probe refuses any other target")
	}
	for i, t := range m.Targets {
		if _, err := baseurl.Parse(t); err != nil {
			return fmt.Errorf("targets[%d]: %w", i, err)
		}
	}
	return nil
}

// Allows reports whether target is one of the module's targets, however it is spelt (case of
// the host, default port, trailing slash), and returns the module's own spelling of it.
func (m Module) Allows(target string) (string, bool) {
	key, err := baseurl.ParseKey(target)
	if err != nil {
		return "", false
	}
	for _, t := range m.Targets {
		if k, err := baseurl.ParseKey(t); err == nil && k == key {
			return t, true
		}
	}
	return "", false
}

// checkFile returns an error naming key unless path is a regular file of at most limit bytes.
// The path is shown only when the file exists: a secret typed where its file name belongs must
// not be.
func checkFile(key, path string, limit int64) error {
	err := boundedfile.Check(path, limit)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, boundedfile.ErrNotRegular), errors.Is(err, boundedfile.ErrTooLarge):
		return fmt.Errorf("%s %s: %w", key, path, err)
	default:
		return fmt.Errorf("%s: the file cannot be read: %w", key, withoutPath(err))
	}
}

// Targets returns the SLA targets of the first rule whose pattern matches the VPG name. It
// implements collector.SLAResolver.
func (c *Config) Targets(vpg string) collector.SLATargets {
	for i, r := range c.SLA {
		if r.re.MatchString(vpg) {
			return collector.SLATargets{
				RPO:          time.Duration(r.RPOTarget),
				RTO:          time.Duration(r.RTOTarget),
				TestInterval: time.Duration(r.TestInterval),
				Rule:         ruleName(i),
			}
		}
	}
	return collector.SLATargets{}
}

// Rules implements collector.SLAResolver: the sla entries in file order.
func (c *Config) Rules() []collector.SLARule {
	rules := make([]collector.SLARule, len(c.SLA))
	for i, r := range c.SLA {
		rules[i] = collector.SLARule{Name: ruleName(i), Match: r.Match}
	}
	return rules
}

func ruleName(i int) string { return fmt.Sprintf("sla[%d]", i) }

// ReadSecret returns a password or client secret: the content of file without its trailing line
// breaks or, when file is "", the environment variable env ("" for none).
func ReadSecret(file, env string) (string, error) {
	if file == "" {
		if env == "" {
			return "", nil
		}
		return os.Getenv(env), nil
	}
	b, err := boundedfile.Read(file, boundedfile.MaxSecret)
	if errors.Is(err, boundedfile.ErrNotRegular) || errors.Is(err, boundedfile.ErrTooLarge) {
		return "", fmt.Errorf("%s: %w", file, err)
	}
	if err != nil {
		return "", fmt.Errorf("the file cannot be read: %w", withoutPath(err))
	}
	return string(bytes.TrimRight(b, "\r\n")), nil
}

// withoutPath leaves the path out of a file error: a secret typed where its file name belongs
// must not be shown.
func withoutPath(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// String renders the effective configuration as YAML. It holds no secret, only the paths of the
// files that hold them.
func (c *Config) String() string {
	b, err := yaml.Marshal(c)
	if err != nil {
		return fmt.Sprintf("# cannot render config: %v\n", err)
	}
	return string(b)
}
