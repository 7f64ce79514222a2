package zvmsim

import (
	"context"
	"time"

	"github.com/zerto-exporter/zerto_exporter/internal/zvmsim/sim"
)

// RunIncidents scripts the demo's incidents until ctx is done: every `every`
// it breaches the RPO of one VPG (in rotation) and heals it after
// `duration`; every third incident is instead an encryption suspicion on the
// appliance (a Windows ZVM has no encryption detection), cleared the same way.
// It blocks; run it in a goroutine.
func (s *Sim) RunIncidents(ctx context.Context, every, duration time.Duration) {
	wait := func(d time.Duration) bool {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			return true
		}
	}
	n := max(1, len(s.model.Vpgs)-1) // never the initialising VPG, the last one
	for k := 0; wait(every); k++ {
		p := &s.model.Vpgs[(k*5+1)%n]
		f := sim.Fault{Kind: sim.KindRPOBreach, VPG: p.Name, RPOSeconds: 3 * p.RPOTarget}
		if k%3 == 2 && s.opts.Flavour != FlavourWindows {
			f = sim.Fault{Kind: sim.KindEncryptionSuspected, VPG: p.Name, Level: sim.DefaultSuspicionLevel}
		}
		id, err := s.InjectFault(f)
		if err != nil {
			continue // cannot happen for a VPG of the model; try the next one
		}
		wait(duration)
		// An error means the fault is already gone (cleared by hand).
		_ = s.RemoveFault(id)
	}
}
