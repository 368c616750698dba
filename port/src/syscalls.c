/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * syscalls.c — newlib's system calls for ucvisor guests: stdio goes to the
 * console through v_serial, stdin comes from the console's virtual RX interrupt,
 * the heap is a memory section from the root server, and exit() ends the guest.
 * The work is done in Rust (port/src/lib.rs); this file only speaks newlib.
 *
 * Time: gettimeofday(), time(), times() and clock() count from the system's
 * start by the generic timer's virtual counter (there is no real-time clock:
 * time(NULL) is seconds since boot, clock() the time since boot, not the
 * guest's own processor time); sleep() and usleep(), which newlib declares
 * and leaves to the system, wait for µC/OS-II ticks in a task and on the
 * counter before OSStart(). These four are weak: an application or a vendor
 * library that brings its own (a BSP's real-time clock, say) keeps it.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <ucos_ii.h>
#include <ucvisor_guest.h>

extern int   ucvisor_console_write(const char *buf, int len);
extern int   ucvisor_console_read(char *buf, int len);
extern void *ucvisor_sbrk(ptrdiff_t increment);
extern void  ucvisor_exit(int code) __attribute__((noreturn));

int _write(int fd, const char *buf, int len)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    return ucvisor_console_write(buf, len);
}

int _read(int fd, char *buf, int len)
{
    if (fd != 0) {
        errno = EBADF;
        return -1;
    }
    return ucvisor_console_read(buf, len);
}

void *_sbrk(ptrdiff_t increment)
{
    void *previous = ucvisor_sbrk(increment);
    if (previous == (void *)-1) {
        errno = ENOMEM;
    }
    return previous;
}

void _exit(int code)
{
    ucvisor_exit(code);
}

int _close(int fd)
{
    (void)fd;
    errno = EBADF;
    return -1;
}

int _fstat(int fd, struct stat *st)
{
    if (fd < 0 || fd > 2) {
        errno = EBADF;
        return -1;
    }
    st->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int fd)
{
    return fd >= 0 && fd <= 2;
}

int _lseek(int fd, int offset, int whence)
{
    (void)fd;
    (void)offset;
    (void)whence;
    errno = ESPIPE;
    return -1;
}

int _kill(int pid, int sig)
{
    (void)pid;
    (void)sig;
    errno = EINVAL;
    return -1;
}

int _getpid(void)
{
    return 1;
}

/* `count` counter ticks at `frequency` Hz in units of 1/`per_second` s
 * (the whole seconds first: no overflow for centuries). */
static uint64_t counter_in(uint64_t count, uint32_t frequency, uint32_t per_second)
{
    return count / frequency * per_second + count % frequency * per_second / frequency;
}

__attribute__((weak)) int _gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    if (tv != NULL) {
        uint64_t count = ucvisor_counter();
        uint32_t frequency = ucvisor_counter_frequency();
        tv->tv_sec = (time_t)(count / frequency);
        tv->tv_usec = (suseconds_t)(count % frequency * 1000000u / frequency);
    }
    return 0;
}

__attribute__((weak)) clock_t _times(struct tms *buf)
{
    clock_t now = (clock_t)counter_in(ucvisor_counter(), ucvisor_counter_frequency(), CLOCKS_PER_SEC);
    if (buf != NULL) {
        buf->tms_utime = now;
        buf->tms_stime = 0;
        buf->tms_cutime = 0;
        buf->tms_cstime = 0;
    }
    return now;
}

/* `microseconds` in units of 1/`per_second` s, rounded up (the whole
 * seconds first, as `counter_in`). */
static uint64_t microseconds_in(uint64_t microseconds, uint32_t per_second)
{
    return microseconds / 1000000u * per_second + (microseconds % 1000000u * per_second + 999999u) / 1000000u;
}

/* Waits at least `microseconds`: in a task once µC/OS-II runs, a delay of
 * ticks (one more than the time rounded up, as OSTimeDly(n) waits between n - 1
 * and n tick periods); before OSStart(), in an ISR or with the scheduler
 * locked (where OSTimeDly does not wait), on the counter. */
static void wait_microseconds(uint64_t microseconds)
{
    if (microseconds == 0u) {
        return;
    }
    if (OSRunning == OS_TRUE && OSIntNesting == 0u && OSLockNesting == 0u) {
        uint64_t ticks = microseconds_in(microseconds, OS_TICKS_PER_SEC) + 1u;
        while (ticks > 0u) {
            INT32U step = ticks > 0xFFFFFFFFu ? 0xFFFFFFFFu : (INT32U)ticks;
            OSTimeDly(step);
            ticks -= step;
        }
        return;
    }
    uint64_t end = ucvisor_counter() + microseconds_in(microseconds, ucvisor_counter_frequency());
    while (ucvisor_counter() < end) {
    }
}

__attribute__((weak)) unsigned sleep(unsigned seconds)
{
    wait_microseconds((uint64_t)seconds * 1000000u);
    return 0u;
}

__attribute__((weak)) int usleep(useconds_t microseconds)
{
    wait_microseconds(microseconds);
    return 0;
}

/* No C runtime start files (crti/crtn) in a guest: empty init/fini sections. */
void _init(void) {}
void _fini(void) {}
