/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * hostile — the soak's hostile guest: a seeded stream of random system calls
 * and malformed server messages, spread evenly over the workload guests' run.
 *
 * Each step is one of (xorshift32 generator, seeded from soak_parameters.h;
 * the seed is printed):
 *  - a system call with a random number (every call of the table, 0, numbers
 *    past the table, any 32-bit value) and random registers, drawn around the
 *    values that mean something: thread IDs (its own, the servers', guessed
 *    ones: every index with versions 1..3), the nil and any thread, interrupt
 *    pseudo-threads, tags of every length, addresses of every kind, sizes;
 *  - a message to the root server, v_timer or v_serial with a random label
 *    (each server's own labels, others in its range, any 16-bit value) and a
 *    random word count (0..72: more than 64 is too long) of random words, sent
 *    and answered within 2 ms;
 *  - ExchangeRegisters, ThreadSwitch or IPC on a guessed thread ID.
 * Root-only calls, Shutdown among them, must be refused; nothing it does may
 * change another guest's exact tick, stall anybody or leak kernel memory
 * (the root server compares the kernel's counters at the end with those
 * after boot).
 *
 * It never faults and never blocks for long, by construction: its own threads
 * (any ID ExchangeRegisters may read) are only read, never halted, redirected
 * or sent to; IPC timeouts are at most 2 ms; ContextResume gets only frames
 * it cannot read; DebugWrite only what it cannot read (or nothing); and the
 * two messages with which a guest ends itself by design (PV_ROOT_EXIT,
 * PV_ROOT_GUEST_ERROR) are not sent. With SOAK_SPARE_TIMER
 * (`cargo xtask soak --spare-timer`) it also never asks v_timer to tick one
 * of its threads that never receives (see soak_parameters.h); it counts how
 * often v_timer took such a client. Its description has on_fault "stop":
 * a fault would end it and fail the soak (exit code 3).
 *
 * It paces itself by the generic timer's counter: by time t of the run
 * (SOAK_TICKS at 10 kHz) it has made calls × t / duration calls, and waits
 * 1 ms (an IPC receive with a timeout, independent of its own tick, which its
 * random requests to v_timer may retune) whenever it is ahead. At the end:
 *
 *     hostile: 10000 calls (seed 0x1): 3325 system calls, 3288 server messages, ...
 *     hostile: result PV_OK: 2288
 *     hostile: result PV_ERR_INVALID_SYSCALL: 1383
 *     ...
 *     hostile: done
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"
#include "soak_parameters.h"
#include <paravirt.h>
#include <paravirt_macros.h>
#include <ucvisor_guest.h>

SOAK_PARAMETER_BLOCK;

#define CODES 16u          /* PV_OK and PV_ERR_* 1..14, then "other" */
#define GUESS_VERSIONS 3u

static OS_STK hostile_stk[APP_TASK_STK_SIZE];

static uint32_t state;               /* the generator */
static uint32_t counts[CODES];       /* results by code (receive phase folded in) */
static uint32_t receive_phase;       /* results with PV_ERR_RECEIVE_PHASE */
static uint32_t by_kind[3];          /* steps of each kind */
static uint32_t self_id, own_space;
static uint32_t servers[3];          /* root server, v_timer, v_serial */
static uint32_t interrupt_loop;      /* its Interrupt_loop thread */
static uint32_t spare_timer;         /* SOAK_SPARE_TIMER given */
static int asking_timer;             /* the IPC being made asks v_timer to tick a thread that never receives */
static uint32_t timer_clients;       /* ... and v_timer took it */

static uint32_t next(void)
{
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

static uint32_t below(uint32_t n)
{
    return next() % n;
}

/* True if ExchangeRegisters may read `id`: one of this guest's own threads. */
static int own_thread(uint32_t id)
{
    uint32_t registers[12] = {id, 0u};
    if (id == PV_NIL_THREAD || id == PV_ANY_THREAD || (id & PV_IRQ_THREAD_BASE) != 0u) {
        return 0;
    }
    pv_raw_syscall(PV_SYS_EXCHANGE_REGISTERS, &registers);
    return registers[0] == PV_OK;
}

static uint32_t guessed_thread(void)
{
    return below(PV_MAX_THREADS) | ((1u + below(GUESS_VERSIONS)) << PV_THREAD_VERSION_SHIFT);
}

static uint32_t any_thread(void)
{
    switch (below(8u)) {
    case 0: return PV_NIL_THREAD;
    case 1: return PV_ANY_THREAD;
    case 2: return self_id;
    case 3: return servers[below(3u)];
    case 4: return pv_irq_thread(below(140u));
    case 5: return next();
    default: return guessed_thread();
    }
}

static uint32_t timeouts(void)
{
    return pv_timeouts(below(3u), below(3u)); /* 0, 1 or 2 ms: never for ever */
}

/* One random register, drawn around what means something to some call. */
static uint32_t argument(void)
{
    switch (below(12u)) {
    case 0: return 0u;
    case 1: return below(8u);
    case 2: return any_thread();
    case 3: return timeouts();
    case 4: return pv_tag(below(0x10000u), below(72u));
    case 5: return next() & 0xFFF00000u;          /* section addresses */
    case 6: return PV_SECTION_SIZE * below(3u);
    case 7: return below(300u);
    case 8: return 0x00100000u + below(0x40u) * 4u; /* its image */
    case 9: return 0x40000000u + below(0x1000u) * 4u; /* the kernel */
    case 10: return own_space + below(3u) - 1u;
    default: return next();
    }
}

/* An address the caller cannot read: below the user window, in the kernel,
 * at the top of the address space, or (when `misaligned`, for calls that
 * want word-aligned memory) misaligned anywhere. */
static uint32_t unreadable(int misaligned)
{
    switch (below(misaligned ? 4u : 3u)) {
    case 0: return below(PV_USER_BASE - 64u) & ~3u;
    case 1: return PV_USER_TOP + (below(0x1000u) << 2);
    case 2: return 0xFFFFFFC0u + (below(16u) << 2);
    default: return (next() & ~3u) | (1u + below(3u));
    }
}

/* The checks that keep the stream from acting on its own threads (see above). */
static void defuse(uint32_t number, uint32_t r[12])
{
    uint32_t label;
    switch (number) {
    case PV_SYS_IPC:
        if (own_thread(r[0])) {
            r[0] = PV_NIL_THREAD;
        }
        r[2] = timeouts();
        label = r[3] >> PV_TAG_LABEL_SHIFT;
        if (r[0] == servers[0] && (label == PV_ROOT_EXIT || label == PV_ROOT_GUEST_ERROR)) {
            r[3] = pv_tag(PV_ROOT_GUEST_ERROR + 1u + below(0x100u), r[3] & PV_TAG_WORDS_MASK);
        }
        /* MR1 of a rate request: the client. One of its own threads but its
         * Interrupt_loop takes the domain's tick and never receives it. */
        asking_timer = 0;
        if (r[0] == servers[1] && label == PV_TIMER_REQUEST_RATE && r[5] != interrupt_loop && own_thread(r[5])) {
            if (spare_timer) {
                r[5] = PV_NIL_THREAD;
            } else {
                asking_timer = 1;
            }
        }
        if (r[0] == servers[2] && label == PV_SERIAL_WRITE && below(2u) == 0u) {
            r[4] = 0u; /* a write of nothing; else a length no message can carry */
        } else if (r[0] == servers[2] && label == PV_SERIAL_WRITE) {
            r[4] = 0x10000u + next();
        }
        break;
    case PV_SYS_EXCHANGE_REGISTERS:
        if (own_thread(r[0])) {
            r[1] = 0u; /* read only */
        }
        break;
    case PV_SYS_CONTEXT_RESUME:
        r[0] = unreadable(1);
        break;
    case PV_SYS_DEBUG_WRITE:
        if (r[1] <= PV_DEBUG_WRITE_MAX && below(2u) == 0u) {
            r[1] = 0u;
        } else if (r[1] <= PV_DEBUG_WRITE_MAX) {
            r[0] = unreadable(0); /* DebugWrite reads bytes: misaligned is no error */
            r[1] = 1u + below(PV_DEBUG_WRITE_MAX);
        }
        break;
    default:
        break;
    }
}

/* After an IPC: v_timer answered a request that made a thread of this guest
 * that never receives its client. */
static void count_timer_client(uint32_t number, const uint32_t r[12])
{
    if (number == PV_SYS_IPC && asking_timer && r[0] == PV_OK && r[1] == servers[1] && r[4] == PV_OK) {
        timer_clients++;
    }
    asking_timer = 0;
}

static void record(uint32_t result)
{
    if ((result & PV_ERR_RECEIVE_PHASE) != 0u) {
        receive_phase++;
        result &= ~PV_ERR_RECEIVE_PHASE;
    }
    counts[result < CODES - 1u ? result : CODES - 1u]++;
}

/* A random system call with random registers. */
static void random_call(void)
{
    uint32_t r[12];
    uint32_t number;
    unsigned i;
    switch (below(4u)) {
    case 0: number = next(); break;
    case 1: number = below(32u); break;
    default: number = 1u + below(PV_SYS_COUNT); break; /* the table, and one past it */
    }
    for (i = 0u; i < 12u; i++) {
        r[i] = argument();
    }
    defuse(number, r);
    pv_raw_syscall(number, &r);
    record(r[0]);
    count_timer_client(number, r);
}

/* A malformed (or well-formed) message to a server: send, then receive its answer. */
static void server_message(void)
{
    static const uint32_t labels[] = {
        PV_ROOT_THREAD_CREATE, PV_ROOT_MEMSECTION_CREATE, PV_ROOT_INTERRUPT_ASSOCIATE, PV_LABEL_STARTUP,
        PV_TIMER_REQUEST_RATE, PV_TIMER_QUERY, PV_LABEL_NOTIFICATION, PV_SERIAL_WRITE, PV_SERIAL_ATTACH_INPUT,
        PV_SERIAL_DOMAIN, PV_SERIAL_THREAD, PV_SERIAL_READ_INPUT, 0u,
    };
    uint32_t r[12];
    uint32_t server = below(3u);
    uint32_t label;
    uint32_t words = below(73u);
    uint32_t *utcb_mr = pv_utcb()->mr;
    unsigned i;
    switch (below(4u)) {
    case 0: label = labels[below(sizeof(labels) / sizeof(labels[0]))]; break;
    case 1: label = ((server + 1u) << 8) | below(0x100u); break; /* the server's own range */
    case 2: label = below(0x10000u); break;
    default: label = labels[below(3u)]; break; /* what the root server serves */
    }
    r[0] = servers[server];
    r[1] = below(4u) == 0u ? PV_ANY_THREAD : servers[server];
    r[2] = timeouts();
    r[3] = pv_tag(label, words);
    for (i = 4u; i < 12u; i++) {
        r[i] = argument();
    }
    for (i = 8u; i < 64u; i++) {
        utcb_mr[i] = argument();
    }
    defuse(PV_SYS_IPC, r);
    pv_raw_syscall(PV_SYS_IPC, &r);
    record(r[0]);
    count_timer_client(PV_SYS_IPC, r);
}

/* ExchangeRegisters, ThreadSwitch or IPC on a guessed thread ID. */
static void guessed_call(void)
{
    static const uint32_t numbers[] = {PV_SYS_EXCHANGE_REGISTERS, PV_SYS_THREAD_SWITCH, PV_SYS_IPC};
    uint32_t number = numbers[below(3u)];
    uint32_t r[12];
    unsigned i;
    for (i = 0u; i < 12u; i++) {
        r[i] = argument();
    }
    r[0] = guessed_thread();
    r[1] = number == PV_SYS_IPC ? (below(2u) == 0u ? guessed_thread() : PV_NIL_THREAD) : next();
    defuse(number, r);
    pv_raw_syscall(number, &r);
    record(r[0]);
    count_timer_client(number, r);
}

/* Waits about 1 ms, whatever its own tick does. */
static void pause_1ms(void)
{
    PvMessage message;
    PvThreadId sender;
    (void)pv_receive(servers[0], &message, 1u, &sender);
}

static void hostile_task(void *p_arg)
{
    static const char *const names[CODES] = {
        "PV_OK", "PV_ERR_INVALID_SYSCALL", "PV_ERR_INVALID_THREAD", "PV_ERR_INVALID_ARGUMENT",
        "PV_ERR_BAD_ADDRESS", "PV_ERR_NO_PRIVILEGE", "PV_ERR_TIMEOUT", "PV_ERR_ABORTED",
        "PV_ERR_PARTNER_DELETED", "PV_ERR_NO_RESOURCES", "PV_ERR_INVALID_SPACE", "PV_ERR_ALREADY_MAPPED",
        "PV_ERR_NOT_MAPPED", "PV_ERR_TOO_LONG", "PV_ERR_BUSY", "other",
    };
    uint32_t calls = SOAK_PARAMETER_CALLS;
    uint32_t seed = SOAK_PARAMETER_SEED;
    uint64_t frequency = ucvisor_counter_frequency();
    uint64_t duration = (uint64_t)SOAK_PARAMETER_TICKS * frequency / SOAK_TICK_HZ;
    uint64_t start;
    uint32_t made = 0u;
    uint32_t reported = 0u;
    uint32_t registers[12] = {0u};
    unsigned i;

    (void)p_arg;
    state = seed != 0u ? seed : 1u;
    pv_raw_syscall(PV_SYS_THREAD_SELF, &registers);
    self_id = registers[1];
    own_space = registers[2];
    servers[0] = ucvisor_root_server();
    servers[1] = ucvisor_v_timer();
    servers[2] = ucvisor_v_serial();
    spare_timer = (SOAK_PARAMETER_FLAGS & SOAK_SPARE_TIMER) != 0u;
    /* Its only other thread so far: the one ExchangeRegisters may read. */
    for (i = 1u; i < PV_MAX_THREADS && interrupt_loop == 0u; i++) {
        uint32_t version;
        for (version = 1u; version <= GUESS_VERSIONS; version++) {
            uint32_t id = i | (version << PV_THREAD_VERSION_SHIFT);
            if (id != self_id && own_thread(id)) {
                interrupt_loop = id;
            }
        }
    }
    printf("hostile: %lu calls over %lu ticks, seed %#lx%s\n", (unsigned long)calls,
           (unsigned long)SOAK_PARAMETER_TICKS, (unsigned long)seed,
           spare_timer ? ", sparing v_timer (no client that never receives)" : "");
    (void)fflush(stdout);
    start = ucvisor_counter();
    while (made < calls) {
        uint64_t elapsed = ucvisor_counter() - start;
        uint64_t due = elapsed >= duration ? calls : (uint64_t)calls * elapsed / duration;
        if ((uint64_t)made >= due) {
            pause_1ms();
            continue;
        }
        switch (below(3u)) {
        case 0: random_call(); by_kind[0]++; break;
        case 1: server_message(); by_kind[1]++; break;
        default: guessed_call(); by_kind[2]++; break;
        }
        made++;
        if (made / (calls / 10u + 1u) != reported / (calls / 10u + 1u)) {
            reported = made;
            printf("hostile: progress %lu of %lu calls\n", (unsigned long)made, (unsigned long)calls);
            (void)fflush(stdout);
        }
    }
    printf("hostile: %lu calls (seed %#lx): %lu system calls, %lu server messages, %lu on guessed threads\n",
           (unsigned long)made, (unsigned long)seed, (unsigned long)by_kind[0], (unsigned long)by_kind[1],
           (unsigned long)by_kind[2]);
    /* One line per result code: v_serial cuts lines longer than its buffer. */
    for (i = 0u; i < CODES; i++) {
        if (counts[i] != 0u) {
            printf("hostile: result %s: %lu\n", names[i], (unsigned long)counts[i]);
        }
    }
    printf("hostile: results in a receive phase: %lu\n", (unsigned long)receive_phase);
    printf("hostile: v_timer took a thread of it that never receives as its client %lu times\n",
           (unsigned long)timer_clients);
    printf("hostile: done\n");
    (void)fflush(stdout);
    for (i = 0u; i < 20u; i++) {
        pause_1ms(); /* let v_serial write the lines out (its own tick may have been retuned) */
    }
    exit(0);
}

int main(void)
{
    OSInit();
    (void)OSTaskCreate(hostile_task, (void *)0, &hostile_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_HOSTILE_PRIO);
    OSStart();
    return 1;
}
