#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Passes, so a run of it alone shows the harness does not fail everything.
# It also leaves an artifact of binary bytes (every byte value, then some
# random ones) with its checksum, which the host must receive intact
# (scripts/check.sh): that is the channel the referees read.
dir=${TCPSESS_ARTIFACTS:?}/harness
mkdir -p "$dir"
{
	i=0
	while [ $i -lt 256 ]; do
		# shellcheck disable=SC2059 # the byte is an octal escape
		printf "\\$(printf %o $i)"
		i=$((i + 1))
	done
	head -c 65536 /dev/urandom
} >"$dir/bytes"
(cd "$dir" && sha256sum bytes >bytes.sha256)
exit 0
