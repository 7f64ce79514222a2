# zerto_exporter build, test and demo. `make demo` and `make test` are the two commands a new
# user needs; everything else is a building block of those.

GO          ?= go
GOTEST      ?= $(GO) test
TOOLS_BIN   := $(CURDIR)/.tools/bin
export PATH := $(TOOLS_BIN):$(PATH)

# Pinned tool versions, built with `go install` into $(TOOLS_BIN) (gitignored) on first use.
JSONNET_VERSION      := v0.22.0
PROMETHEUS_VERSION   := v0.316.0
ALERTMANAGER_VERSION := v0.31.1

JSONNET      := $(TOOLS_BIN)/jsonnet
JSONNETFMT   := $(TOOLS_BIN)/jsonnetfmt
PROMTOOL     := $(TOOLS_BIN)/promtool
PROMETHEUS   := $(TOOLS_BIN)/prometheus
ALERTMANAGER := $(TOOLS_BIN)/alertmanager

.PHONY: all
all: build

$(JSONNET):
	GOBIN=$(TOOLS_BIN) $(GO) install github.com/google/go-jsonnet/cmd/jsonnet@$(JSONNET_VERSION)
$(JSONNETFMT):
	GOBIN=$(TOOLS_BIN) $(GO) install github.com/google/go-jsonnet/cmd/jsonnetfmt@$(JSONNET_VERSION)
$(PROMTOOL):
	GOBIN=$(TOOLS_BIN) $(GO) install github.com/prometheus/prometheus/cmd/promtool@$(PROMETHEUS_VERSION)
$(PROMETHEUS):
	GOBIN=$(TOOLS_BIN) $(GO) install github.com/prometheus/prometheus/cmd/prometheus@$(PROMETHEUS_VERSION)
$(ALERTMANAGER):
	GOBIN=$(TOOLS_BIN) $(GO) install github.com/prometheus/alertmanager/cmd/alertmanager@$(ALERTMANAGER_VERSION)

.PHONY: tools
tools: $(JSONNET) $(JSONNETFMT) $(PROMTOOL) $(PROMETHEUS) $(ALERTMANAGER)

include mixin/mixin.mk
