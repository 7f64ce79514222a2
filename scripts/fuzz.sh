#!/usr/bin/env bash
# Fuzzes every Fuzz* target of the module for FUZZTIME each.
#
# Go 1.26's fuzz coordinator can fail a target with a bare "context deadline exceeded" when
# -fuzztime ends, having found nothing (golang/go#75804, fixed in Go 1.27). A real failure always
# writes its input under testdata/fuzz/<target>/; so a failure that wrote no input and printed only
# that message is reported as the known race and not counted, and anything else fails the run.
set -euo pipefail
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-10s}
passed=0 failed=0 raced=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for pkg in $($GO list ./...); do
	dir=$($GO list -f '{{.Dir}}' "$pkg")
	for t in $($GO test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		echo "fuzz $pkg $t"
		before=$(find "$dir/testdata/fuzz/$t" -type f 2>/dev/null | sort || true)
		if $GO test -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" "$pkg" 2>&1 | tee "$log"; test "${PIPESTATUS[0]}" -eq 0; then
			passed=$((passed + 1))
			continue
		fi
		after=$(find "$dir/testdata/fuzz/$t" -type f 2>/dev/null | sort || true)
		if [ "$before" = "$after" ] && grep -qx '    context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
			echo "fuzz $t: no failing input; the known -fuzztime race of Go 1.26 (golang/go#75804), not counted"
			raced=$((raced + 1))
		else
			failed=$((failed + 1))
		fi
	done
done
echo "fuzz targets stopped by the golang/go#75804 race: $raced"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
