#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# usage: promtool.sh ARTIFACTS_DIR
# Judges, on the host, the exposition metrics_test.sh left in the VM's
# artifacts (metrics/metrics.prom) with Prometheus' own linter: promtool
# is too big for the guest. Fails if the file is missing or promtool has
# anything to say, and prints what it says.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 ARTIFACTS_DIR" >&2; exit 2; }
prom=$1/metrics/metrics.prom
promtool=$(tcpsess_promtool)

[ -x "$promtool" ] || tcpsess_die "no promtool: run scripts/setup.sh"
[ -s "$prom" ] || tcpsess_die "no exposition at $prom: did metrics_test.sh run?"
if ! out=$("$promtool" check metrics <"$prom" 2>&1) || [ -n "$out" ]; then
	echo "promtool check metrics: $prom:" >&2
	echo "${out:-(exit status without a word)}" >&2
	exit 1
fi
echo "promtool check metrics: $prom: $(grep -vc '^#' "$prom") samples, no complaint"
