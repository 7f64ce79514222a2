package exporter

import (
	"fmt"
	"time"

	"github.com/zerto-exporter/zerto_exporter/config"
	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// ClientConfig assembles the client configuration of the ZVM at url reached through m: the one
// place that does so, for the single target of the --zvm.* flags (given as a module) and for
// /probe targets. timeout applies when m sets none. The secrets are read from m's files, named
// in errors as names says, or taken from m when it names no file.
func ClientConfig(url string, m config.Module, timeout time.Duration, names config.KeyNames) (zvm.Config, error) {
	c := zvm.Config{
		URL:                url,
		Auth:               zvm.AuthMode(m.Auth),
		SessionAuthMethod:  zvm.SessionAuthMethod(m.SessionAuthMethod),
		Username:           m.Username,
		ClientID:           m.ClientID,
		CAFile:             m.TLSConfig.CAFile,
		InsecureSkipVerify: m.TLSConfig.InsecureSkipVerify,
		Timeout:            timeout,
	}
	if c.Auth == "" {
		c.Auth = zvm.AuthAuto
	}
	if m.Timeout > 0 {
		c.Timeout = time.Duration(m.Timeout)
	}
	c.MaxResponseBytes = int64(m.MaxResponseSize) // 0: the caller's default, else the client's
	var err error
	if c.Password, err = secret(m.PasswordFile, m.Password); err != nil {
		return c, fmt.Errorf("%s: %w", names.Key("password_file"), err)
	}
	if c.ClientSecret, err = secret(m.ClientSecretFile, m.ClientSecret); err != nil {
		return c, fmt.Errorf("%s: %w", names.Key("client_secret_file"), err)
	}
	return c, nil
}

// secret reads file, or returns given when no file is named.
func secret(file string, given config.Secret) (string, error) {
	if file == "" {
		return string(given), nil
	}
	return config.ReadSecret(file, "")
}
