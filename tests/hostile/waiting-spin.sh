#!/usr/bin/env bash
# A batch of two for lab 04, whose checks mostly wait out ping timeouts
# and so start side by side whatever the CPUs do (SL_WAITS): mallory's
# ping spins on every core it can instead of waiting, in each of those
# checks at once, while alice's pings are timed.
# Safe outcome: alice, a copy of the reference, keeps 100 (graded again,
# alone, if her timeouts came beside the spinning); mallory gets less;
# nothing is left running.
source "$(dirname "$0")/lib.sh"

class=$scratch/class
submission 04 "$class/alice"
submission 04 "$class/mallory"
cat >"$class/mallory/ping.c" <<'C'
#include <pthread.h>

static void *spin(void *arg)
{
	for (volatile unsigned long n = 0;; n++)
		;
	return arg;
}

int main(void)
{
	pthread_t t;

	for (int i = 0; i < 7; i++)
		pthread_create(&t, NULL, spin, NULL);
	spin(NULL);
	return 0;
}
C
"$SOCKLAB" batch 04 "$class" --out "$scratch/grades" -j 2 >"$scratch/batch.log" 2>&1
score() { awk -F, -v id="$1" '$1 == id { print $2 }' "$scratch/grades/gradebook.csv"; }
[ "$(score alice)" = 100 ] &&
	ok "waiting-spin: alice keeps 100 beside a ping that spins in every waiting check" ||
	bad "waiting-spin: alice got '$(score alice)' beside the spinning ping: $(grep alice "$scratch/batch.log")"
mallory=$(score mallory)
[ -n "$mallory" ] && [ "$mallory" -lt 100 ] &&
	ok "waiting-spin: the spinning ping gets $mallory" ||
	bad "waiting-spin: the spinning ping got '$mallory'"
left=$(pgrep -af -- "$scratch" | head -n 3)
[ -z "$left" ] && ok "waiting-spin: nothing left running" || bad "waiting-spin: still running: $left"
done_testing
