# zerto_exporter build, test and demo. `make demo` and `make test` are the two commands a new
# user needs; everything else is a building block of those.

GO          ?= go
# `make lint` vets everything once (docs/development.md).
GOTEST      ?= $(GO) test -vet=off
TOOLS_BIN   := $(CURDIR)/.tools/bin
export PATH := $(TOOLS_BIN):$(PATH)

# One build configuration for everything make compiles, so that each package compiles once; the
# race detector alone needs cgo (docs/development.md).
export CGO_ENABLED := 0
BUILD_GOFLAGS := -trimpath -gcflags=all=-dwarf=false
export GOFLAGS := $(strip $(BUILD_GOFLAGS) $(filter-out $(BUILD_GOFLAGS),$(GOFLAGS)))
# The compiler's GC target for the go commands that only compile (docs/development.md).
COMPILE_GOGC := 200
COMPILE_ENV := GOGC=$(COMPILE_GOGC)

# Pinned tools, built into $(TOOLS_BIN) on first use: those of tools/go.mod by one `go install`, these
# two apart (docs/development.md, "The pinned tools").
ALERTMANAGER_VERSION := v0.31.1
GOLANGCI_LINT_VERSION := v2.15.0
# Leaves Prometheus's cloud service discoveries out of prometheus and promtool.
TOOLS_MOD_TAGS := remove_all_sd
# The tools are built in the configuration above, and stripped.
TOOLS_INSTALL := $(COMPILE_ENV) GOBIN=$(TOOLS_BIN) $(GO) install -ldflags="-s -w"

JSONNET      := $(TOOLS_BIN)/jsonnet
JSONNETFMT   := $(TOOLS_BIN)/jsonnetfmt
PROMTOOL     := $(TOOLS_BIN)/promtool
PROMETHEUS   := $(TOOLS_BIN)/prometheus
ALERTMANAGER := $(TOOLS_BIN)/alertmanager
HELM         := $(TOOLS_BIN)/helm
GOLANGCI_LINT := $(TOOLS_BIN)/golangci-lint
# The tools that the race-detector tests and the end-to-end tests run.
RACE_TOOLS   := $(PROMTOOL) $(PROMETHEUS) $(JSONNET)
E2E_TOOLS    := $(PROMTOOL) $(PROMETHEUS) $(ALERTMANAGER) $(JSONNET)

VERSION  ?= $(shell cat VERSION 2>/dev/null || echo 0.0.0)
REVISION ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
BRANCH   ?= $(shell git rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)
BUILD_USER ?= $(shell whoami)@$(shell hostname 2>/dev/null || echo localhost)
BUILD_DATE ?= $(shell date -u +%Y%m%d-%H:%M:%S)
VERSION_PKG := github.com/prometheus/common/version
LDFLAGS := -s -w \
	-X $(VERSION_PKG).Version=$(VERSION) \
	-X $(VERSION_PKG).Revision=$(REVISION) \
	-X $(VERSION_PKG).Branch=$(BRANCH) \
	-X $(VERSION_PKG).BuildUser=$(BUILD_USER) \
	-X $(VERSION_PKG).BuildDate=$(BUILD_DATE)
GOBUILD := $(COMPILE_ENV) $(GO) build -ldflags "$(LDFLAGS)"

# Fuzzing time of `make test`, split among the fuzz targets; FUZZTIME=30s gives each that long.
FUZZ_BUDGET ?= 60s

# Steps of `make test`'s second phase run at once (docs/development.md).
TEST_JOBS ?= 4

.PHONY: all
all: build

# Where `make build` writes the binaries (the Dockerfile and the --version test build elsewhere).
BINDIR ?= .

.PHONY: build
build: ## Build zerto_exporter, zerto_report and zvmsim into the repository root.
	$(GOBUILD) -o $(BINDIR)/zerto_exporter ./cmd/zerto_exporter
	$(GOBUILD) -o $(BINDIR)/zerto_report ./cmd/zerto_report
	$(GOBUILD) -o $(BINDIR)/zvmsim ./cmd/zvmsim

# `make docker` builds the image from the Dockerfile, whose build stage runs `make build` with these
# same version stamps.
DOCKER       ?= docker
DOCKER_IMAGE ?= zerto-exporter
DOCKER_TAG   ?= $(VERSION)

.PHONY: docker
docker: ## Build the container image $(DOCKER_IMAGE):$(DOCKER_TAG) (needs a container engine).
	$(DOCKER) build -t $(DOCKER_IMAGE):$(DOCKER_TAG) --build-arg VERSION=$(VERSION) \
		--build-arg REVISION=$(REVISION) --build-arg BRANCH=$(BRANCH) \
		--build-arg BUILD_USER=$(BUILD_USER) --build-arg BUILD_DATE=$(BUILD_DATE) .

.PHONY: demo
demo: build ## Run the exporter on its built-in simulated ZVM pair; open http://localhost:9847/metrics
	./zerto_exporter --demo

.PHONY: test
test: ## Everything CI checks.
	@[ -n "$$ZVM_SAMPLES_DIR" ] || [ -d ../shared/zvm-samples ] || echo "note: no third-party ZVM sample corpus (\$$ZVM_SAMPLES_DIR or ../shared/zvm-samples): the tests that read it skip, saying so in go test -v ./internal/zvm"
	@$(MAKE) --no-print-directory -j2 $(SYNC) $(TOOLS_MOD_STAMP) race-deps
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) $(SYNC) test-steps

SYNC := $(if $(filter 3.%,$(MAKE_VERSION)),,--output-sync=line)

# Two phases: the tools module beside the race detector's compilation, then the rest, which finds
# both in the Go build cache (docs/development.md).
.PHONY: test-steps
test-steps: checks e2e-after-build race-after-checks fuzz-after-checks no-race-after-build

.PHONY: checks
checks: build lint mixin-lint mixin-check mixin-test chart-test

.PHONY: race-after-checks fuzz-after-checks e2e-after-build no-race-after-build
race-after-checks: checks $(RACE_TOOLS)
	$(RACE_CMD)
fuzz-after-checks: checks
	FUZZ_PARALLEL=1 $(FUZZ_CMD)
e2e-after-build: build $(E2E_TOOLS)
	$(E2E_CMD)
no-race-after-build: build
	$(NORACE_CMD)

# The project's packages but the commands, for the race detector's compilation.
.PHONY: race-deps
race-deps: ## Compile the project's packages and their dependencies for the race detector.
	$(COMPILE_ENV) CGO_ENABLED=1 $(GO) build -race $(shell $(GO) list -f '{{if ne .Name "main"}}{{.ImportPath}}{{end}}' ./...)

TOOL_ENV := PROMTOOL=$(PROMTOOL) PROMETHEUS=$(PROMETHEUS) ALERTMANAGER=$(ALERTMANAGER) JSONNET=$(JSONNET)

# Packages whose tests run none of the project's code in their own process (built binaries; jsonnet
# and promtool), so without the race detector; TestNoProjectCodeInProcess keeps them so.
NORACE_PKGS = $(addprefix $(shell $(GO) list -m)/,test/e2e mixin)

# Tests cut short under the race detector (internal/exporter/race_on_test.go), run here in full, and
# the allocation budgets of a refresh and a scrape, whose figures it would inflate
# (docs/performance.md).
NORACE_TESTS := TestLargeExpositionIdentical TestProbeTargetsReleased TestAllocationBudgets TestCachedScrapeAllocations
.PHONY: test-no-race
test-no-race: ## The tests that the race detector skips or shortens, without it.
	$(NORACE_CMD)
NORACE_CMD = @out=$$($(GOTEST) -count=1 -v -run '^($(shell echo $(NORACE_TESTS) | tr ' ' '|'))$$' ./internal/exporter 2>&1) || { echo "$$out"; exit 1; }; \
	echo "$$out" | grep -E '^(--- |ok)'; \
	for t in $(NORACE_TESTS); do \
		echo "$$out" | grep -q -- "--- PASS: $$t " || { echo "test-no-race: $$t did not run" >&2; exit 1; }; \
	done

.PHONY: test-go
test-go: test-go-race test-no-race test-e2e ## Unit, integration and end-to-end tests.

RACE_CMD = $(TOOL_ENV) CGO_ENABLED=1 $(GOTEST) -race -count=1 -timeout 25m $(filter-out $(NORACE_PKGS),$(shell $(GO) list ./...))

.PHONY: test-go-race
test-go-race: $(RACE_TOOLS) ## The tests of every package but NORACE_PKGS, under the race detector.
	$(RACE_CMD)

.PHONY: test-e2e
test-e2e: $(E2E_TOOLS) ## The end-to-end tests (test/e2e).
	$(E2E_CMD)
E2E_CMD = $(TOOL_ENV) $(GOTEST) -count=1 -timeout 25m ./test/e2e/...

FUZZ_CMD = GO=$(GO) COMPILE_GOGC=$(COMPILE_GOGC) FUZZ_BUDGET=$(FUZZ_BUDGET) $(if $(FUZZTIME),FUZZTIME=$(FUZZTIME)) ./scripts/fuzz.sh

.PHONY: fuzz
fuzz: ## Fuzz every fuzz target, FUZZ_BUDGET in all (see scripts/fuzz.sh).
	$(FUZZ_CMD)

.PHONY: lint
lint: $(GOLANGCI_LINT) ## gofmt, go vet and golangci-lint (.golangci.yml).
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GOLANGCI_LINT) run ./...

.PHONY: bench
bench: ## Benchmarks: decoding each ZVM payload, a refresh, the exposition, at the large profile.
	$(GOTEST) -run '^$$' -bench . -benchmem ./internal/zvm ./internal/exporter

.PHONY: load
load: build ## Load tests against the built binaries: one ZVM of 1k-20k VMs, an estate of 20 ZVMs x 5k VMs through /probe, 500 target rebuilds; see docs/performance.md.
	$(GO) run ./cmd/zvmload --exporter ./zerto_exporter --zvmsim ./zvmsim --profile large --scales 1000,5000,10000,20000
	$(GO) run ./cmd/zvmload --exporter ./zerto_exporter --zvmsim ./zvmsim --profile large --mode estate --estate-targets 1,10,20 --estate-vms 5000
	$(GO) run ./cmd/zvmload --exporter ./zerto_exporter --zvmsim ./zvmsim --profile large --mode leak --leak-zvms 20 --leak-rounds 500

.PHONY: golden
golden: build ## Rewrite the golden expositions and the generated docs: metrics, flags, collector and fault tables (review the diff!).
	$(GOTEST) ./test/e2e/ -run TestEndToEndGolden -update
	$(GOTEST) ./cmd/zerto_exporter/ -run 'TestFlagsReference|TestReadmeCollectors' -update
	$(GOTEST) ./collector/ -run 'TestGolden|TestMetricsReference' -update
	$(GOTEST) ./internal/zvmsim/ -run TestFaultTableInREADME -update

# The tools of tools/go.mod: one stamp, built when the module changes, stands for all of them.
TOOLS_MOD_STAMP := $(TOOLS_BIN)/.tools-module
$(JSONNET) $(JSONNETFMT) $(PROMTOOL) $(PROMETHEUS) $(HELM): $(TOOLS_MOD_STAMP)
	@test -x $@
$(TOOLS_MOD_STAMP): tools/go.mod tools/go.sum
	cd tools && $(TOOLS_INSTALL) -tags $(TOOLS_MOD_TAGS) tool
	touch $@
$(ALERTMANAGER):
	$(TOOLS_INSTALL) github.com/prometheus/alertmanager/cmd/alertmanager@$(ALERTMANAGER_VERSION)
$(GOLANGCI_LINT):
	$(TOOLS_INSTALL) github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

# The chart's tests are a Go module of their own, keeping the Kubernetes types out of go.mod.
.PHONY: chart-test
chart-test: $(HELM) $(GOLANGCI_LINT) ## helm lint, helm template and strict decoding of the chart (deploy/helm/test).
	cd deploy/helm/test && $(GO) vet ./... && $(GOLANGCI_LINT) run ./... && HELM=$(HELM) $(GOTEST) -count=1 ./...

.PHONY: tools
tools: $(JSONNET) $(JSONNETFMT) $(PROMTOOL) $(PROMETHEUS) $(ALERTMANAGER) $(HELM) $(GOLANGCI_LINT)

include mixin/mixin.mk
