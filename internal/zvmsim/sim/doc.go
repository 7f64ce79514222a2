// Package sim is the simulator's model of a pair of ZVMs, without HTTP: the sites, VPGs, VM rows,
// VRAs, datastores, alerts, events, tasks and recovery reports that a seed and a profile
// generate (build.go), how they change with time (dynamics.go, checkpoints.go), and the faults
// that change them (faults.go, declared in faultkinds.go). Package zvmsim serves it over the
// ZVM REST API; the model's fields are exported for that package only.
package sim
