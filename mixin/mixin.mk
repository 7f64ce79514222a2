# Monitoring mixin: render, format, drift check and tests (the targets: docs/development.md).
# Included from the root Makefile, which defines JSONNET, JSONNETFMT, PROMTOOL and GOTEST.

MIXIN_SRCS     := $(wildcard mixin/*.jsonnet mixin/*.libsonnet mixin/*/*.libsonnet)
CHART_FILES    := deploy/helm/zerto-exporter/files
JSONNETFMT_ARGS := -n 2 --max-blank-lines 2 --string-style s --comment-style s

# $(call mixin_render,DIR): render every output under DIR/mixin and DIR/dashboards.
mixin_render = mkdir -p $(1)/mixin $(1)/dashboards && \
	$(JSONNET) -S mixin/alerts.jsonnet > $(1)/mixin/alerts.yaml && \
	$(JSONNET) -S mixin/alerts-optional.jsonnet > $(1)/mixin/alerts-optional.yaml && \
	$(JSONNET) -S mixin/rules.jsonnet > $(1)/mixin/rules.yaml && \
	$(JSONNET) -S -m $(1)/dashboards mixin/dashboards.jsonnet > /dev/null

.PHONY: mixin
mixin: $(JSONNET)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(call mixin_render,"$$tmp") && \
	cp "$$tmp"/mixin/alerts.yaml "$$tmp"/mixin/alerts-optional.yaml "$$tmp"/mixin/rules.yaml mixin/ && \
	rm -f dashboards/*.json && cp "$$tmp"/dashboards/*.json dashboards/ && \
	mkdir -p $(CHART_FILES)/dashboards && cp mixin/alerts.yaml mixin/rules.yaml $(CHART_FILES)/ && \
	rm -f $(CHART_FILES)/dashboards/*.json && cp dashboards/*.json $(CHART_FILES)/dashboards/ && \
	echo "rendered mixin/alerts.yaml mixin/rules.yaml dashboards/*.json (and copied them into $(CHART_FILES))"

.PHONY: mixin-fmt
mixin-fmt: $(JSONNETFMT)
	$(JSONNETFMT) $(JSONNETFMT_ARGS) -i $(MIXIN_SRCS)

.PHONY: mixin-lint
mixin-lint: $(JSONNETFMT)
	@fail=0; for f in $(MIXIN_SRCS); do \
		$(JSONNETFMT) $(JSONNETFMT_ARGS) --test "$$f" || { echo "not formatted: $$f (run make mixin-fmt)" >&2; fail=1; }; \
	done; exit $$fail

# Renders into a temporary directory and compares with the working tree and with the Helm chart's
# copies, so it needs no git and works on a clean CI checkout.
.PHONY: mixin-check
mixin-check: $(JSONNET)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(call mixin_render,"$$tmp") && \
	if diff -u mixin/alerts.yaml "$$tmp"/mixin/alerts.yaml && \
	   diff -u mixin/alerts-optional.yaml "$$tmp"/mixin/alerts-optional.yaml && \
	   diff -u mixin/rules.yaml "$$tmp"/mixin/rules.yaml && \
	   diff -ru -x '.*' dashboards "$$tmp"/dashboards && \
	   diff -u $(CHART_FILES)/alerts.yaml "$$tmp"/mixin/alerts.yaml && \
	   diff -u $(CHART_FILES)/rules.yaml "$$tmp"/mixin/rules.yaml && \
	   diff -ru -x '.*' $(CHART_FILES)/dashboards "$$tmp"/dashboards; then \
		echo "rendered mixin is up to date"; \
	else \
		echo "rendered mixin (or the Helm chart's copy) differs from sources: run make mixin" >&2; exit 1; \
	fi

.PHONY: mixin-test
mixin-test: $(PROMTOOL) $(JSONNET)
	$(PROMTOOL) check rules mixin/alerts.yaml mixin/alerts-optional.yaml mixin/rules.yaml
	$(PROMTOOL) test rules mixin/tests/*.yaml
	PROMTOOL=$(PROMTOOL) JSONNET=$(JSONNET) $(GOTEST) -count=1 ./mixin/...
