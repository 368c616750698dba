/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * attacker — a hostile guest of the hostile_authority image. It runs beside
 * the `ticks` victim and tries every kind of authority the system never gave
 * it; each attack prints one line, "attacker: PASS: ..." when the system
 * refused it with the documented error, "attacker: FAIL: ..." when it did not,
 * then a summary "attacker: N passed, N failed". Thread IDs are guessed
 * (index | version << PV_THREAD_VERSION_SHIFT, every index, versions 1 and 2):
 * its own threads are the ones ExchangeRegisters may read; every other guess
 * is somebody else's thread or none, and the answers must not tell which.
 *
 *  1. v_timer: retune another domain's tick (10000 Hz, then 1 Hz), read its
 *     counters: PV_ERR_INVALID_THREAD for every guess.
 *  2. IPC: send to, receive from another domain's thread; ExchangeRegisters
 *     (read, halt) and ThreadSwitch on it: PV_ERR_INVALID_THREAD for every
 *     guess, the same for a live thread as for none.
 *  3. forged kernel messages: an exception report or an interrupt message to
 *     the root server: PV_ERR_INVALID_ARGUMENT (kernel-reserved labels).
 *  4. interrupts: SGIs, PPIs (the timers'), the UART's line, lines not granted:
 *     PV_ERR_NO_PRIVILEGE; its one granted line (40): PV_OK.
 *  5. priorities above its ceiling (priority + 1): PV_ERR_NO_PRIVILEGE, never
 *     clamped; SetPriority is the root's alone.
 *  6. console input, which the description gives the victim: PV_ERR_NO_PRIVILEGE.
 *     Threads beyond its quota (`threads = 3` in system.toml):
 *     PV_ERR_NO_RESOURCES at once, and for every retry.
 *  7. the kernel's tick schedules (PV_SYS_TICK_SCHEDULE), which only the
 *     space granted the timer (v_timer's) may use: start a 32,768 Hz tick for,
 *     stop the tick of, read the count of any thread, its own included:
 *     PV_ERR_NO_PRIVILEGE; bind another domain's thread to its own
 *     virtual-interrupt words (to take its ticks): PV_ERR_INVALID_THREAD.
 *  8. last, the virtual timer's registers (CNTV_CVAL, CNTV_CTL), which would
 *     stop every guest's tick: the write must fault this guest (undefined
 *     instruction, reported by the root server; on_fault stop).
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"
#include <paravirt.h>
#include <paravirt_macros.h>
#include <ucvisor_guest.h>

#define VERSIONS 2u
#define MAX_GUESSES (64u * VERSIONS)

static OS_STK attack_stk[APP_TASK_STK_SIZE];
static unsigned passed;
static unsigned failed;

/* Guessed IDs of threads that are not the attacker's own. */
static PvThreadId guesses[MAX_GUESSES];
static unsigned guess_count;

static const char *error_name(uint32_t code)
{
    static const char *const names[] = {
        "PV_OK", "PV_ERR_INVALID_SYSCALL", "PV_ERR_INVALID_THREAD", "PV_ERR_INVALID_ARGUMENT",
        "PV_ERR_BAD_ADDRESS", "PV_ERR_NO_PRIVILEGE", "PV_ERR_TIMEOUT", "PV_ERR_ABORTED",
        "PV_ERR_PARTNER_DELETED", "PV_ERR_NO_RESOURCES", "PV_ERR_INVALID_SPACE", "PV_ERR_ALREADY_MAPPED",
        "PV_ERR_NOT_MAPPED", "PV_ERR_TOO_LONG", "PV_ERR_BUSY",
    };
    uint32_t plain = code & ~PV_ERR_RECEIVE_PHASE;
    if (plain < sizeof(names) / sizeof(names[0])) {
        return names[plain];
    }
    return "unknown error";
}

/* The answers one attack got: each distinct code and how often. */
typedef struct {
    uint32_t code[8];
    unsigned count[8];
    unsigned kinds;
    unsigned total;
} Tally;

static void tally_add(Tally *tally, uint32_t code)
{
    unsigned kind;
    tally->total++;
    for (kind = 0u; kind < tally->kinds; kind++) {
        if (tally->code[kind] == code) {
            tally->count[kind]++;
            return;
        }
    }
    if (tally->kinds < 8u) {
        tally->code[tally->kinds] = code;
        tally->count[tally->kinds] = 1u;
        tally->kinds++;
    }
}

/* PASS when every answer was `wanted`. */
static void tally_report(const char *attack, const Tally *tally, uint32_t wanted)
{
    unsigned kind;
    int good = tally->kinds == 1u && tally->code[0] == wanted;
    if (good) {
        passed++;
        printf("attacker: PASS: %s: %u thread IDs, every one %s%s\n", attack, tally->total, error_name(wanted),
               (wanted & PV_ERR_RECEIVE_PHASE) != 0u ? " (receive phase)" : "");
        return;
    }
    failed++;
    printf("attacker: FAIL: %s:", attack);
    for (kind = 0u; kind < tally->kinds; kind++) {
        printf(" %u x %s (%#lx)", tally->count[kind], error_name(tally->code[kind]), (unsigned long)tally->code[kind]);
    }
    printf("; expected only %s\n", error_name(wanted));
}

static void expect(const char *attack, uint32_t got, uint32_t wanted)
{
    if (got == wanted) {
        passed++;
        printf("attacker: PASS: %s: %s\n", attack, error_name(got));
    } else {
        failed++;
        printf("attacker: FAIL: %s: %s (%#lx), expected %s\n", attack, error_name(got), (unsigned long)got,
               error_name(wanted));
    }
}

static int is_server(PvThreadId id)
{
    return id == ucvisor_root_server() || id == ucvisor_v_timer() || id == ucvisor_v_serial();
}

/* Every guessed ID that ExchangeRegisters does not read (not its own). */
static void guess_threads(void)
{
    uint32_t index;
    uint32_t version;
    unsigned own = 0u;
    PvRegisters registers;
    for (version = 1u; version <= VERSIONS; version++) {
        for (index = 1u; index < 64u; index++) {
            PvThreadId id = index | (version << PV_THREAD_VERSION_SHIFT);
            if (pv_exchange_registers(id, 0u, 0u, 0u, 0u, &registers) == PV_OK) {
                own++;
                continue;
            }
            guesses[guess_count++] = id;
        }
    }
    printf("attacker: %u of its own threads found, %u other thread IDs guessed\n", own, guess_count);
}

static void attack_v_timer(void)
{
    static const uint32_t rates[] = {10000u, 1u}; /* faster, then nearly stopped */
    unsigned r;
    unsigned i;
    for (r = 0u; r < 2u; r++) {
        Tally tally = {0};
        char what[80];
        for (i = 0u; i < guess_count; i++) {
            uint32_t highest = 0u;
            tally_add(&tally, pv_request_tick_rate(ucvisor_v_timer(), rates[r], guesses[i], &highest));
        }
        (void)snprintf(what, sizeof(what), "retune another domain's tick to %lu Hz", (unsigned long)rates[r]);
        tally_report(what, &tally, PV_ERR_INVALID_THREAD);
    }
    {
        Tally tally = {0};
        for (i = 0u; i < guess_count; i++) {
            uint32_t generated = 0u;
            uint32_t undelivered = 0u;
            tally_add(&tally, pv_timer_query(ucvisor_v_timer(), guesses[i], &generated, &undelivered));
        }
        tally_report("read another domain's tick counters", &tally, PV_ERR_INVALID_THREAD);
    }
}

static void attack_threads(void)
{
    Tally send = {0};
    Tally receive = {0};
    Tally read = {0};
    Tally halt = {0};
    Tally switch_to = {0};
    unsigned i;
    for (i = 0u; i < guess_count; i++) {
        PvThreadId id = guesses[i];
        PvMessage message;
        PvThreadId sender = 0u;
        PvRegisters registers;
        if (!is_server(id)) { /* the servers are granted: IPC with them is the point of them */
            message.tag = PV_TAG(1u, 1u);
            message.mr[0] = 0xBADu;
            tally_add(&send, pv_send(id, &message, PV_TIMEOUT_ZERO));
            tally_add(&receive, pv_receive(id, &message, PV_TIMEOUT_ZERO, &sender));
        }
        tally_add(&read, pv_exchange_registers(id, 0u, 0u, 0u, 0u, &registers));
        tally_add(&halt, pv_exchange_registers(id, PV_EXREG_HALT, 0u, 0u, 0u, &registers));
        tally_add(&switch_to, pv_thread_switch(id));
    }
    tally_report("IPC send to another domain's thread", &send, PV_ERR_INVALID_THREAD);
    tally_report("IPC receive from another domain's thread", &receive, PV_ERR_INVALID_THREAD | PV_ERR_RECEIVE_PHASE);
    tally_report("ExchangeRegisters read (enumeration)", &read, PV_ERR_INVALID_THREAD);
    tally_report("ExchangeRegisters halt", &halt, PV_ERR_INVALID_THREAD);
    tally_report("ThreadSwitch to another domain's thread", &switch_to, PV_ERR_INVALID_THREAD);
}

static void attack_forgery(void)
{
    PvMessage message;
    message.tag = PV_TAG(PV_LABEL_EXCEPTION, 5u);
    message.mr[0] = PV_FAULT_DATA_ABORT;
    message.mr[1] = 0u;
    message.mr[2] = 0x00100000u;
    message.mr[3] = 0u;
    message.mr[4] = 0u;
    expect("forged exception report to the root server", pv_send(ucvisor_root_server(), &message, 100u),
           PV_ERR_INVALID_ARGUMENT);
    message.tag = PV_TAG(PV_LABEL_INTERRUPT, 1u);
    message.mr[0] = 33u;
    expect("forged interrupt message to v_serial", pv_send(ucvisor_v_serial(), &message, 100u),
           PV_ERR_INVALID_ARGUMENT);
}

static void attack_interrupts(void)
{
    static const uint32_t lines[] = {0u, 1u, 15u, 16u, 27u, 29u, 30u, 31u, 33u, 34u, 39u, 41u, 79u, 127u, 128u};
    uint32_t root = ucvisor_root_server();
    unsigned i;
    for (i = 0u; i < sizeof(lines) / sizeof(lines[0]); i++) {
        char what[64];
        (void)snprintf(what, sizeof(what), "associate interrupt %lu", (unsigned long)lines[i]);
        expect(what, pv_root_interrupt_associate(root, lines[i], pv_thread_self()), PV_ERR_NO_PRIVILEGE);
    }
    expect("associate its granted interrupt 40", pv_root_interrupt_associate(root, 40u, pv_thread_self()), PV_OK);
    /* The nil thread fills a guest's free thread slots at the root server. */
    expect("associate its granted interrupt 40 with no thread", pv_root_interrupt_associate(root, 40u, PV_NIL_THREAD),
           PV_ERR_NO_PRIVILEGE);
}

/* Granted requests repeated: each granted, reported within the guest's budget. */
static void attack_repeated_grants(void)
{
    Tally tally = {0};
    unsigned i;
    for (i = 0u; i < 100u; i++) {
        tally_add(&tally, pv_root_interrupt_associate(ucvisor_root_server(), 40u, pv_thread_self()));
    }
    tally_report("associate its granted interrupt 40 100 times more", &tally, PV_OK);
}

static void attack_priorities(void)
{
    uint32_t root = ucvisor_root_server();
    uint32_t ceiling = ucvisor_priority() + 1u;
    PvThreadId thread = PV_NIL_THREAD;
    expect("thread one above its ceiling", pv_root_thread_create(root, ceiling + 1u, &thread), PV_ERR_NO_PRIVILEGE);
    expect("thread at 149", pv_root_thread_create(root, 149u, &thread), PV_ERR_NO_PRIVILEGE);
    expect("thread at 0xFFFFFFFF", pv_root_thread_create(root, 0xFFFFFFFFu, &thread), PV_ERR_NO_PRIVILEGE);
    expect("SetPriority 200 on itself", pv_set_priority(pv_thread_self(), 200u), PV_ERR_NO_PRIVILEGE);
    expect("thread at its ceiling", pv_root_thread_create(root, ceiling, &thread), PV_OK);
}

/* A flood of refused requests: each refused, but the root server reports only
 * a burst of them, then a few a second, and says how many it left out; the
 * console and the root server's time are not the attacker's to take. */
static void attack_refusal_flood(void)
{
    Tally tally = {0};
    uint32_t root = ucvisor_root_server();
    PvThreadId thread = PV_NIL_THREAD;
    unsigned i;
    for (i = 0u; i < 1000u; i++) {
        tally_add(&tally, pv_root_thread_create(root, 0xFFFFFFFFu, &thread));
    }
    tally_report("1000 refused requests in a row", &tally, PV_ERR_NO_PRIVILEGE);
    OSTimeDly(OS_TICKS_PER_SEC / 2u); /* the root server's budget refills */
    expect("one more, half a second later", pv_root_thread_create(root, 0xFFFFFFFFu, &thread), PV_ERR_NO_PRIVILEGE);
}

/* Its description gives it `threads = 3`: Interrupt_loop, the µC/OS-II thread
 * and the one of attack_priorities. One more is refused, however often asked,
 * and the kernel's pool is never drained for the other guests. */
static void attack_thread_quota(void)
{
    uint32_t root = ucvisor_root_server();
    PvThreadId thread = PV_NIL_THREAD;
    uint32_t code = PV_OK;
    unsigned i;
    for (i = 0u; i < 100u && code != PV_ERR_NO_RESOURCES; i++) {
        code = pv_root_thread_create(root, 1u, &thread);
    }
    expect("a thread beyond its quota of 3", code, PV_ERR_NO_RESOURCES);
    expect("... at the first request beyond it", i == 1u ? PV_ERR_NO_RESOURCES : PV_OK, PV_ERR_NO_RESOURCES);
    for (i = 0u; i < 100u; i++) {
        code = pv_root_thread_create(root, 1u, &thread);
        if (code != PV_ERR_NO_RESOURCES) {
            break;
        }
    }
    expect("100 more threads beyond its quota", code, PV_ERR_NO_RESOURCES);
}

/* Words a binding could use: writable RAM of this guest, 8-byte aligned. */
static uint32_t decoy_words[2] __attribute__((aligned(8)));

/* The kernel-direct path's authority: the kernel writes a bound thread's
 * words and redirects it, so a binding may name only a thread of the caller's
 * own space and only writable RAM of that thread's space; raising a virtual
 * interrupt is a notification, with the authority of a send. Every refused
 * binding leaves this guest's own binding (and so its own tick) as it was. */
static void attack_virq(void)
{
    Tally bind = {0};
    Tally notify = {0};
    uint32_t words = (uint32_t)(uintptr_t)decoy_words;
    uint32_t entry = (uint32_t)(uintptr_t)&error_name & ~3u;
    PvThreadId self = pv_thread_self();
    PvRegisters registers;
    unsigned i;
    for (i = 0u; i < guess_count; i++) {
        if (pv_exchange_registers(guesses[i], 0u, 0u, 0u, 0u, &registers) == PV_OK) {
            continue; /* one of the threads it made itself since the guessing */
        }
        tally_add(&bind, pv_virq_bind(guesses[i], words, entry));
        if (!is_server(guesses[i])) {
            tally_add(&notify, pv_notify(guesses[i], 0xFFFFFFFFu));
        }
    }
    tally_report("bind another domain's thread to its virtual interrupts", &bind, PV_ERR_INVALID_THREAD);
    tally_report("notify (raise virtual interrupts in) another domain's thread", &notify, PV_ERR_INVALID_THREAD);
    expect("bind its words to its own code", pv_virq_bind(self, (uint32_t)(uintptr_t)&error_name & ~7u, entry),
           PV_ERR_BAD_ADDRESS);
    expect("bind its words to unmapped memory", pv_virq_bind(self, 0x1000u, entry), PV_ERR_BAD_ADDRESS);
    expect("bind its words to the kernel's memory", pv_virq_bind(self, 0xC0000000u, entry), PV_ERR_BAD_ADDRESS);
    expect("bind misaligned words", pv_virq_bind(self, words + 4u, entry), PV_ERR_INVALID_ARGUMENT);
    expect("bind an entry in the kernel", pv_virq_bind(self, words, 0xC0000000u), PV_ERR_INVALID_ARGUMENT);
}

static void attack_kernel_ticks(void)
{
    Tally start = {0};
    Tally stop = {0};
    Tally count = {0};
    uint32_t ticks = 0u;
    unsigned i;
    for (i = 0u; i < guess_count; i++) {
        tally_add(&start, pv_tick_start(guesses[i], 32768u, 0u));
        tally_add(&stop, pv_tick_stop(guesses[i], &ticks));
        tally_add(&count, pv_tick_count(guesses[i], &ticks));
    }
    tally_report("start a kernel tick for another domain's thread", &start, PV_ERR_NO_PRIVILEGE);
    tally_report("stop another domain's kernel tick", &stop, PV_ERR_NO_PRIVILEGE);
    tally_report("read another domain's kernel tick count", &count, PV_ERR_NO_PRIVILEGE);
    expect("start a 32768 Hz kernel tick for itself", pv_tick_start(pv_thread_self(), 32768u, 0u),
           PV_ERR_NO_PRIVILEGE);
}

/* Far-future compare value and timer off: v_timer's interrupt would never come. */
static void write_virtual_timer(void)
{
    uint32_t low = 0xFFFFFFFFu;
    uint32_t high = 0x00FFFFFFu;
    __asm__ volatile("mcrr p15, 3, %0, %1, c14" : : "r"(low), "r"(high) : "memory"); /* CNTV_CVAL */
    __asm__ volatile("mcr p15, 0, %0, c14, c3, 1" : : "r"(0u) : "memory");            /* CNTV_CTL */
    __asm__ volatile("isb" : : : "memory");
}

static void attack_task(void *p_arg)
{
    (void)p_arg;
    printf("attacker: priority %lu, ceiling %lu\n", (unsigned long)ucvisor_priority(),
           (unsigned long)(ucvisor_priority() + 1u));
    guess_threads();
    attack_v_timer();
    attack_threads();
    attack_forgery();
    attack_interrupts();
    attack_priorities();
    attack_refusal_flood();
    attack_thread_quota();
    attack_virq();
    attack_kernel_ticks();
    attack_repeated_grants();
    expect("take the console input", pv_serial_attach_input(ucvisor_v_serial(), pv_thread_self()),
           PV_ERR_NO_PRIVILEGE);
    printf("attacker: %u passed, %u failed\n", passed, failed);
    printf("attacker: last attack: writing the virtual timer (CNTV_CVAL, CNTV_CTL); this guest must fault\n");
    (void)fflush(stdout);
    OSTimeDly(10u); /* let v_serial write the lines out */
    write_virtual_timer();
    printf("attacker: FAIL: the virtual timer took the write: every guest's tick has stopped\n");
    (void)fflush(stdout);
    for (;;) {
        OSTimeDly(1000u);
    }
}

int main(void)
{
    OSInit();
    (void)OSTaskCreate(attack_task, (void *)0, &attack_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_ATTACK_PRIO);
    OSStart();
    return 1;
}
