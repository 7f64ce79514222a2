// Package e2e holds the tests that drive built binaries, none of the project's code in the test
// process: the whole alerting chain (the ZVM simulator, cmd/zvmsim; the exporter,
// cmd/zerto_exporter, probing both simulated ZVMs; Prometheus 3 with the mixin's alerting and
// recording rules; Alertmanager; a webhook receiver run by the test), docs/scaling.md's HA pair of
// Prometheus replicas sharing one refresh, the golden expositions against the simulator with its
// clock frozen (`make golden` rewrites them), the exporter's peak memory on huge bodies, the
// binary's bad flags, its --version as `make build` stamps it, and the container image.
//
// The tests need the pinned prometheus, alertmanager, promtool and jsonnet binaries that `make
// tools` builds into .tools/bin; `make test` passes their paths in PROMETHEUS, ALERTMANAGER,
// PROMTOOL (and JSONNET, else .tools/bin/jsonnet is used). Without them the tests fail: an
// unchecked alerting chain must not look green. Run them alone with
//
//	make tools && go test -count=1 -v ./test/e2e/
//
// Component logs go to test/e2e/logs/<test>/ (gitignored) and are kept when a test fails. With
// E2E_HOLD=1 a failed test also keeps the stack running for two minutes before it stops it, to
// look at Prometheus (its address is logged) by hand.
package e2e
