#!/bin/sh
# SPDX-License-Identifier: MIT OR Apache-2.0
# host-check.sh — builds every example against the bundled µC/OS-II kernel and
# the host test port (ucos-ii-c/test-port/host) with the host C compiler, runs it
# and checks its output and exit code. A quick way to test the examples' logic
# without QEMU.
#
#     examples/host-check.sh            # all examples
#     examples/host-check.sh echo ticks # some of them
#
# Environment: CC (default cc), KEEP=1 keeps the build directory.
#
# The host port has no real interrupts: its idle task produces the clock ticks,
# so time only passes while every task is blocked, and simulated seconds take
# microseconds. The script adds a small harness (written to the build directory):
#   - ucvisor_ticks_delivered() returns HostPort_TickCount(), the ticks the host
#     port produced (the SDK provides the real one on the target);
#   - for `preempt`, whose low task never blocks, a SIGALRM every millisecond
#     runs the tick through the ISR protocol (HostPort_Tick()) on the current
#     task's stack, a real asynchronous interrupt;
#   - examples that run forever are built with a tick limit
#     (HOST_PORT_MAX_TICKS); the host port then prints "host port: tick limit"
#     and exits with 3, which is the expected outcome for them.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ucos="$root/ucos-ii-c"
CC=${CC:-cc}

build=$(mktemp -d "${TMPDIR:-/tmp}/ucvisor-examples.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
    echo "build directory: $build"
else
    trap 'rm -rf "$build"' EXIT
fi

cat >"$build/host_harness.c" <<'EOF'
/* Host stand-ins for the SDK, see examples/host-check.sh. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/time.h>

#include "ucos_ii.h"

INT32U ucvisor_ticks_delivered(void);

INT32U ucvisor_ticks_delivered(void)
{
    return HostPort_TickCount();
}

#ifdef HOST_CHECK_SIGALRM_TICK
static volatile sig_atomic_t in_tick;

static void on_alarm(int sig)
{
    (void)sig;
    /* A tick only where a real interrupt could come: the kernel running,
     * interrupts not masked, not already in an interrupt. */
    if ((OSRunning != OS_TRUE) || (HostPort_IntMasked() == OS_TRUE) || (OSIntNesting > 0u) || in_tick) {
        return;
    }
    in_tick = 1;
    HostPort_Tick(); /* may switch to another task and come back later */
    in_tick = 0;
}

__attribute__((constructor)) static void start_ticker(void)
{
    struct sigaction sa;
    struct itimerval it;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_NODEFER | SA_RESTART; /* a task switched to from the handler gets ticks too */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    it.it_interval.tv_sec = 0;
    it.it_interval.tv_usec = 1000;
    it.it_value = it.it_interval;
    setitimer(ITIMER_REAL, &it, NULL);
}
#endif
EOF

# name | extra cflags | stdin (printf format) | expected exit code |
# expected output lines, separated by ';' (whole lines; '~' first: a substring)
examples='
hello|-DHOST_PORT_MAX_TICKS=2000||3|hello: starting µC/OS-II V29300;hello: task A tick 3 at OSTime 300;hello: task B tick 3 at OSTime 750;hello: task C tick 3 at OSTime 1500
pingpong|-DHOST_PORT_MAX_TICKS=3000||3|ping: 1;pong: got 1;ping: 10;pong: got 10;pingpong: 10 rounds done;pong: got 12
queue|-DHOST_PORT_MAX_TICKS=2000||3|queue: OSQQuery with the queue full: 8 of 8 entries used, next message 1;queue: consumed 1;queue: consumed 20;queue: 20 messages in order;queue: OSQQuery at the end: 0 of 8 entries used
timers|-DHOST_PORT_MAX_TICKS=4000||3|timers: periodic fired 1;timers: periodic fired 2;timers: one-shot fired;timers: periodic fired 5;timers: done
echo|-DHOST_PORT_MAX_TICKS=100000|hi\rthere\r\nabcd\b\nquit\n|0|echo: ready;echo: hi;echo: there;echo: abc;echo: bye
ticks|||0|ticks: progress 1000 of 10000;ticks: progress 10000 of 10000;ticks: OSTimeGet=10000 delivered=10000;ticks: MATCH
preempt|-DHOST_CHECK_SIGALRM_TICK||0|preempt: 20 interrupts of the low task, each followed by the high task before the low task resumed;preempt: PASS
conformance|||0|~ passed, 0 failed
'

want=${*:-hello pingpong queue timers echo ticks preempt conformance}
failures=0

for name in $want; do
    line=$(printf '%s\n' "$examples" | grep "^$name|") || { echo "unknown example: $name"; exit 2; }
    extra=$(printf "%s\n" "$line" | cut -d'|' -f2)
    input=$(printf "%s\n" "$line" | cut -d'|' -f3)
    code_want=$(printf "%s\n" "$line" | cut -d'|' -f4)
    expect=$(printf "%s\n" "$line" | cut -d'|' -f5)

    extra_src=
    if [ "$name" = conformance ]; then
        # The suite's sources and header, as the lead's build adds them.
        extra="$extra -I $ucos/tests/conformance"
        for f in "$ucos"/tests/conformance/*.c; do
            [ "$(basename "$f")" = host_main.c ] || extra_src="$extra_src $f"
        done
    fi

    exe="$build/$name"
    # shellcheck disable=SC2086 # word splitting of the source lists is intended
    if ! $CC -O1 -g -fcf-protection=none -Wall -Wextra -Werror $extra \
        -I "$here/$name" -I "$ucos/test-port/host" -I "$ucos/src" \
        "$ucos"/src/*.c "$ucos/test-port/host/os_cpu_c.c" "$here/$name"/*.c $extra_src "$build/host_harness.c" \
        -o "$exe" 2>"$build/$name.cc"; then
        cat "$build/$name.cc"
        echo "FAIL $name: does not compile"
        failures=$((failures + 1))
        continue
    fi

    set +e
    printf "$input" | timeout 20 "$exe" >"$build/$name.out" 2>&1
    code=$?
    set -e

    ok=1
    if [ "$code" != "$code_want" ]; then
        echo "FAIL $name: exit code $code, want $code_want"
        ok=0
    fi
    old_ifs=$IFS
    IFS=';'
    for e in $expect; do
        case $e in
        '~'*) e=${e#'~'}; flags=-qF ;;
        *) flags=-qxF ;;
        esac
        if ! grep $flags -- "$e" "$build/$name.out"; then
            echo "FAIL $name: no line containing '$e'"
            ok=0
        fi
    done
    IFS=$old_ifs
    if [ $ok = 1 ]; then
        echo "ok   $name (exit $code, $(wc -l <"$build/$name.out") lines)"
    else
        sed 's/^/    | /' "$build/$name.out" | head -n 60
        failures=$((failures + 1))
    fi
done

if [ $failures -ne 0 ]; then
    echo "$failures example(s) failed"
    exit 1
fi
echo "all examples passed on the host"
