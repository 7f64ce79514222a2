package collector_test

import (
	"context"

	"github.com/zerto-exporter/zerto_exporter/internal/zvm"
)

// The vSphere tests' ZVM has none of the Zerto 10 cyber-resilience data.

func (z *vsphereZVM) EncryptionState(context.Context) (*zvm.EncryptionDetectionState, error) {
	return &zvm.EncryptionDetectionState{}, nil
}
func (z *vsphereZVM) SuspectedVPGs(context.Context) ([]zvm.SuspectedVPG, error) { return nil, nil }
func (z *vsphereZVM) SuspectedVMs(context.Context) ([]zvm.SuspectedVM, error)   { return nil, nil }
func (z *vsphereZVM) EncryptionMetricsVPGs(context.Context) ([]zvm.VPGEncryptionMetrics, error) {
	return nil, nil
}
func (z *vsphereZVM) EJCHealth(context.Context) ([]zvm.EJCVPGHealth, error)        { return nil, nil }
func (z *vsphereZVM) EJCRepositories(context.Context) ([]zvm.EJCRepository, error) { return nil, nil }
