/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * syscalls.c — newlib's system calls for ucvisor guests: stdio goes to the
 * console through v_serial, stdin comes from the console's virtual RX interrupt,
 * the heap is a memory section from the root server, and exit() ends the guest.
 * The work is done in Rust (port/src/lib.rs); this file only speaks newlib.
 */
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

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

/* No C runtime start files (crti/crtn) in a guest: empty init/fini sections. */
void _init(void) {}
void _fini(void) {}
