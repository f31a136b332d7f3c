#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lint as upstream would: checkpatch --strict on every C file, sparse (C=2)
# on the module for one kernel, shellcheck on every shell script.
#
# usage: lint.sh [checkpatch | sparse KVER | shellcheck]   (none: all)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$TCPSESS_ROOT"

# Files that must use names others chose: libFuzzer's entry point, C11's
# _Static_assert. Only the CamelCase check is waived for them.
foreign_names=(tests/fuzz/fsm_fuzz.c module/portable.h)

lint_checkpatch()
{
	local checkpatch files

	checkpatch="$(tcpsess_ksrc)/scripts/checkpatch.pl"
	mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h' |
		grep -vxF -f <(printf '%s\n' "${foreign_names[@]}"))
	perl "$checkpatch" --strict --no-tree -q --show-types -f "${files[@]}" &&
	perl "$checkpatch" --strict --no-tree -q --show-types --ignore CAMELCASE \
		-f "${foreign_names[@]}"
}

# The module as shipped, then as the debug-kernel stage builds it, with
# the race windows of module/race.h.
lint_sparse()
{
	local kver=$1 race dir out

	for race in 0 1; do
		dir=$TCPSESS_BUILD/$kver/sparse-race$race
		mkdir -p "$dir"
		cp -a Kbuild module include "$dir/"
		# C=2 checks every file whether or not it needs rebuilding.
		out=$(make -C "$(tcpsess_kdir "$kver")" M="$dir" C=2 CHECK=sparse \
			TCPSESS_RACE_WINDOWS=$race modules 2>&1)
		if grep -E 'warning:|error:' <<<"$out"; then
			return 1
		fi
		grep -q 'CHECK ' <<<"$out" || { echo "sparse did not run"; return 1; }
	done
}

lint_shellcheck()
{
	local files

	mapfile -t files < <(git ls-files -co --exclude-standard -- \
		'*.sh' 'scripts/guest/init' '.ci/run')
	shellcheck -x -e SC1091,SC2016,SC2119 "${files[@]}"
}

case ${1:-all} in
checkpatch) lint_checkpatch ;;
sparse) lint_sparse "$2" ;;
shellcheck) lint_shellcheck ;;
all)
	lint_checkpatch
	for kver in $(tcpsess_kernels); do
		lint_sparse "$kver"
	done
	lint_shellcheck
	;;
*) tcpsess_die "usage: lint.sh [checkpatch | sparse KVER | shellcheck]" ;;
esac
