// Package vcsimtest starts the in-process vCenter of package vcsim for a test: stopped at the end
// of the test, its certificate in a file, and every failure a test failure. Only tests import it.
package vcsimtest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/zerto-exporter/zerto_exporter/internal/vsphere/vcsim"
)

// DefaultCounters are the counter values every VRA VM starts with.
var DefaultCounters = vcsim.DefaultCounters

// Options shape the simulated vCenter (see vcsim.Options).
type Options = vcsim.Options

// Server is a running simulated vCenter.
type Server struct {
	*vcsim.Server
	// CAFile is a PEM file with the server certificate, when Options.TLS is set.
	CAFile string
}

// Start starts the simulated vCenter; it is closed at the end of the test.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	vc, err := vcsim.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(vc.Close)
	s := &Server{Server: vc}
	if o.TLS {
		s.CAFile = filepath.Join(t.TempDir(), "vcenter-ca.pem")
		if err := os.WriteFile(s.CAFile, vc.CertificatePEM(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// HostName returns the name of the ESXi host the VRA VM runs on.
func (s *Server) HostName(t testing.TB, vra string) string {
	t.Helper()
	name, err := s.Server.HostName(context.Background(), vra)
	if err != nil {
		t.Fatal(err)
	}
	return name
}

// SetMaintenance puts the VRA's host in or out of maintenance mode.
func (s *Server) SetMaintenance(t testing.TB, vra string, on bool) {
	t.Helper()
	if err := s.Server.SetMaintenance(context.Background(), vra, on); err != nil {
		t.Fatal(err)
	}
}

// SetConnected disconnects or reconnects the VRA's host.
func (s *Server) SetConnected(t testing.TB, vra string, on bool) {
	t.Helper()
	if err := s.Server.SetConnected(context.Background(), vra, on); err != nil {
		t.Fatal(err)
	}
}

// TerminateSessions ends every session of the exporter's user, as vCenter does when a session
// expires.
func (s *Server) TerminateSessions(t testing.TB) {
	t.Helper()
	if err := s.Server.TerminateSessions(context.Background()); err != nil {
		t.Fatal(err)
	}
}
