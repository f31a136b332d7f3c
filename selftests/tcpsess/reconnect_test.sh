#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A peer that lost its connection and connects again from the same port,
# in enforce mode on every tracker of the path (SPEC section 3): its new SYN
# on the synchronised tuple must reach the other end.
#  - The server still holds the old connection: it answers the SYN with a
#    challenge ACK (RFC 5961 4.2), the client's RST closes the old
#    connection, and the client's retried SYN opens the new one.
#  - Both ends lost it: the server answers the SYN with a SYN-ACK, which
#    re-synchronises the trackers at once.
# Either way the old session ends with reason REUSED and the new one, flag
# REOPENED, runs from the new SYN to TIME_WAIT.
#
#   cli 10.1.0.1 --v1-- 10.1.0.2 rtr 10.2.0.1 --v2-- 10.2.0.2 srv
. "$(dirname "$0")/lib.sh"

ktap_print_header
require_tools /usr/sbin/nft
tcpsess_load "${TCPSESS_NO_EXPIRY[@]}" mode=enforce || ktap_exit_fail_msg "insmod failed"

path=$(routed_path) || ktap_exit_fail_msg "namespace setup failed"
read -r cli rtr srv <<<"$path"

# Loses a namespace's RSTs before any tracker sees them (-300 < -99): its
# end of a connection goes, and nobody on the path learns of it.
lose_rsts()	# NS
{
	$IP netns exec "$1" nft -f - <<-END
		table inet lose_rsts {
			chain out {
				type filter hook output priority -300;
				tcp flags rst drop
			}
		}
	END
}

keep_rsts()	# NS
{
	$IP netns exec "$1" nft delete table inet lose_rsts
}

# The newest session with orig source port SPORT: "state flags bytes_orig
# bytes_reply history".
newest()	# NS SPORT
{
	session_by_sport "$1" "$2" | sort -n | tail -n 1 |
		awk '{ print $7, $19, $11, $13, $18 }'
}

# Checks each tracker of the path after a reconnection from SPORT.
expect_reopened()	# TAG SPORT REUSED_BEFORE...
{
	local tag=$1 sport=$2 ns i=0

	shift 2
	for ns in "$cli" "$rtr" "$srv"; do
		i=$((i + 1))
		wait_for 5 session_state_is "$ns" "$sport" TIME_WAIT
		echo "# ${ns##*-}: $(session_by_sport "$ns" "$sport" | tr '\n' '|')"
		expect_eq "$tag: ${ns##*-}: the old session ended REUSED" \
			$(($1 + 1)) "$(stat_of "$ns" ended_reused)"
		expect_eq "$tag: ${ns##*-}: the new session is whole" \
			"TIME_WAIT REOPENED 200 200 ShADadFf" "$(newest "$ns" "$sport")"
		expect_eq "$tag: ${ns##*-}: one session left of the tuple" 1 \
			"$(session_by_sport "$ns" "$sport" | grep -c .)"
		shift
	done
}

reused_counts()
{
	echo "$(stat_of "$cli" ended_reused) $(stat_of "$rtr" ended_reused) $(stat_of "$srv" ended_reused)"
}

# --- the server still holds the old connection --------------------------------
peer_server "$srv" -l 10.2.0.2 -p 9000 --mode echo --count 2 --timeout-ms 60000
lose_rsts "$cli"
# The echo is read first: arriving after the abort it would draw an RST
# from the client's stack once the rule is gone.
peer_client "$cli" -c 10.2.0.2 -p 9000 --sport 41001 --send 100 --recv 100 \
	--close rst
keep_rsts "$cli"
expect_eq "held: the old session lives on at the router" ESTABLISHED \
	"$(session_by_sport "$rtr" 41001 | column state)"
read -ra before <<<"$(reused_counts)"
peer_client "$cli" -c 10.2.0.2 -p 9000 --sport 41001 --send 200 --recv 200 \
	--close fin --timeout-ms 20000
expect_eq "held: the client connected again" 0 $?
wait
expect_reopened "held" 41001 "${before[@]}"

# --- both ends lost the connection ------------------------------------------------
peer_server "$srv" -l 10.2.0.2 -p 9001 --mode rst
lose_rsts "$cli"
lose_rsts "$srv"
peer_client "$cli" -c 10.2.0.2 -p 9001 --sport 41002 --send 100 --close rst
wait
keep_rsts "$cli"
keep_rsts "$srv"
expect_eq "both lost: the old session lives on at the router" ESTABLISHED \
	"$(session_by_sport "$rtr" 41002 | column state)"
read -ra before <<<"$(reused_counts)"
peer_server "$srv" -l 10.2.0.2 -p 9001 --mode echo
peer_client "$cli" -c 10.2.0.2 -p 9001 --sport 41002 --send 200 --recv 200 \
	--close fin --timeout-ms 20000
expect_eq "both lost: the client connected again" 0 $?
wait
expect_reopened "both lost" 41002 "${before[@]}"

for ns in "$cli" "$rtr" "$srv"; do
	expect_eq "nothing invalid at ${ns##*-}" 0 "$(stat_of "$ns" packets_invalid)"
done
tcpsess_finish
