// Package zvmsim simulates a pair of Zerto Virtual Managers (ZVMs) speaking the
// ZVM REST API described in docs/zvm-api.md: the protected site's ZVM and the
// recovery site's ZVM, both serving one shared model of VPGs, VMs and VRAs.
//
// It exists so that the exporter can be demonstrated (zerto_exporter --demo)
// and tested end to end without a Zerto installation. The simulator builds its
// responses from its own model and its own wire types and never imports the
// exporter's client (internal/zvm): a client test against the simulator is then
// a check of two independent readings of the API reference.
//
// The package is the HTTP layer (routing, rendering, filters, authentication, the
// control API); the model it renders lives in package sim, without HTTP.
//
// A deterministic model is generated from a profile and a seed. Values that
// change over time (RPO, journal usage, throughput, counters) are computed
// from the elapsed time when a request arrives; nothing ticks in the
// background. Faults injected through [Sim.InjectFault] or the /_sim/ control
// API act on the shared model, so both sites' ZVMs show them.
package zvmsim
