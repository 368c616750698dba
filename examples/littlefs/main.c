/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * main.c — the littlefs example: a real third-party C library in a guest.
 *
 * littlefs (fetched from the `littlefs2-sys` registry package at build time,
 * see system.toml) is mounted on a RAM block device of 64 blocks of 512 bytes.
 * Two writer tasks each write their own file and append to a shared log,
 * ROUNDS times, reading their file back after every write; every littlefs call
 * runs under a µC/OS-II mutex through littlefs's own lock/unlock callbacks
 * (LFS_THREADSAFE). At the end the start task unmounts, mounts again and
 * checks everything that was written. Prints one line per check and
 * "littlefs: N passed, N failed"; exits with the number of failures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ucos_ii.h"
#include "app_cfg.h"
#include "lfs.h"

#define BLOCK_SIZE   512u
#define BLOCK_COUNT  64u
#define CACHE_SIZE   64u
#define ROUNDS       8u

/* --- the RAM block device ------------------------------------------------------------ */

static uint8_t disk[BLOCK_COUNT][BLOCK_SIZE];
static INT32U erases;

static int disk_read(const struct lfs_config *c, lfs_block_t block, lfs_off_t off, void *buffer,
                     lfs_size_t size)
{
    (void)c;
    memcpy(buffer, &disk[block][off], size);
    return 0;
}

static int disk_prog(const struct lfs_config *c, lfs_block_t block, lfs_off_t off, const void *buffer,
                     lfs_size_t size)
{
    (void)c;
    memcpy(&disk[block][off], buffer, size);
    return 0;
}

static int disk_erase(const struct lfs_config *c, lfs_block_t block)
{
    (void)c;
    memset(disk[block], 0xFF, BLOCK_SIZE);
    erases++;
    return 0;
}

static int disk_sync(const struct lfs_config *c)
{
    (void)c;
    return 0;
}

/* --- littlefs under a µC/OS-II mutex -------------------------------------------------- */

static OS_EVENT *fs_mutex;
static INT32U lock_count;
static INT32U lock_waits; /* the mutex was held by the other task: waited */

static int fs_lock(const struct lfs_config *c)
{
    INT8U err = OS_ERR_NONE;
    (void)c;
    if (OSMutexAccept(fs_mutex, &err) == OS_FALSE) {
        lock_waits++;
        OSMutexPend(fs_mutex, 0u, &err);
    }
    lock_count++;
    return err == OS_ERR_NONE ? 0 : LFS_ERR_IO;
}

static int fs_unlock(const struct lfs_config *c)
{
    (void)c;
    return OSMutexPost(fs_mutex) == OS_ERR_NONE ? 0 : LFS_ERR_IO;
}

static uint8_t read_buffer[CACHE_SIZE];
static uint8_t prog_buffer[CACHE_SIZE];
static uint8_t lookahead_buffer[16];

static const struct lfs_config fs_config = {
    .read = disk_read,
    .prog = disk_prog,
    .erase = disk_erase,
    .sync = disk_sync,
    .lock = fs_lock,
    .unlock = fs_unlock,
    .read_size = 16,
    .prog_size = 16,
    .block_size = BLOCK_SIZE,
    .block_count = BLOCK_COUNT,
    .block_cycles = 500,
    .cache_size = CACHE_SIZE,
    .lookahead_size = sizeof lookahead_buffer,
    .read_buffer = read_buffer,
    .prog_buffer = prog_buffer,
    .lookahead_buffer = lookahead_buffer,
};

static lfs_t fs;

/* --- checks ----------------------------------------------------------------------------- */

static unsigned passed;
static unsigned failed;

static void check(int ok, const char *what, long value)
{
    if (ok) {
        passed++;
        printf("littlefs: PASS: %s: %ld\n", what, value);
    } else {
        failed++;
        printf("littlefs: FAIL: %s: %ld\n", what, value);
    }
}

/* The text a writer puts in its file in round `round`. */
static int file_text(char *text, size_t size, char writer, unsigned round)
{
    return snprintf(text, size, "writer %c, round %u: the quick brown fox jumps over the lazy dog\n", writer,
                    round);
}

/* --- the writer tasks ------------------------------------------------------------------ */

struct writer {
    char name;               /* 'a' or 'b' */
    char path[8];            /* its own file */
    uint8_t buffer[CACHE_SIZE]; /* one open file at a time, LFS_NO_MALLOC: its buffer */
    unsigned errors;         /* operations that failed or read back wrong */
    OS_STK stack[APP_TASK_STK_SIZE];
};

static struct writer writers[2] = {{.name = 'a', .path = "/a.txt"}, {.name = 'b', .path = "/b.txt"}};
static OS_EVENT *done;

static void writer_task(void *p_arg)
{
    struct writer *w = p_arg;
    struct lfs_file_config file_config = {.buffer = w->buffer};
    lfs_file_t file;
    char text[96];
    char back[96];
    unsigned round;
    for (round = 1u; round <= ROUNDS; round++) {
        int length = file_text(text, sizeof text, w->name, round);
        /* Its own file: replaced every round, then read back. */
        if (lfs_file_opencfg(&fs, &file, w->path, LFS_O_WRONLY | LFS_O_CREAT | LFS_O_TRUNC, &file_config) < 0) {
            w->errors++;
            continue;
        }
        if (lfs_file_write(&fs, &file, text, (lfs_size_t)length) != length) {
            w->errors++;
        }
        if (lfs_file_close(&fs, &file) < 0) {
            w->errors++;
        }
        OSTimeDly(1u); /* let the other writer in between */
        memset(back, 0, sizeof back);
        if (lfs_file_opencfg(&fs, &file, w->path, LFS_O_RDONLY, &file_config) < 0) {
            w->errors++;
            continue;
        }
        if (lfs_file_read(&fs, &file, back, sizeof back) != length || memcmp(back, text, (size_t)length) != 0) {
            w->errors++;
        }
        (void)lfs_file_close(&fs, &file);
        /* The shared log: one line appended per round. */
        if (lfs_file_opencfg(&fs, &file, "/log.txt", LFS_O_WRONLY | LFS_O_CREAT | LFS_O_APPEND, &file_config) < 0) {
            w->errors++;
            continue;
        }
        if (lfs_file_write(&fs, &file, text, (lfs_size_t)length) != length) {
            w->errors++;
        }
        (void)lfs_file_close(&fs, &file);
    }
    printf("littlefs: writer %c done: %u rounds, %u errors\n", w->name, ROUNDS, w->errors);
    (void)OSSemPost(done);
    OSTaskDel(OS_PRIO_SELF);
}

/* --- the start task: mount, run the writers, remount and check ----------------------- */

static OS_STK start_stack[APP_TASK_STK_SIZE];

/* Lines of /log.txt written by `writer`, checked in order: round 1, 2, ... */
static unsigned log_lines_in_order(const char *log, char writer)
{
    char expected[96];
    unsigned round = 1u;
    const char *line = log;
    while (*line != '\0') {
        const char *end = strchr(line, '\n');
        size_t length = end != NULL ? (size_t)(end - line) + 1u : strlen(line);
        if (length > 7u && line[7] == writer) {
            int wanted = file_text(expected, sizeof expected, writer, round);
            if ((size_t)wanted != length || memcmp(line, expected, length) != 0) {
                return 0u;
            }
            round++;
        }
        line += length;
    }
    return round - 1u;
}

static void start_task(void *p_arg)
{
    static char log[2u * ROUNDS * 96u];
    static uint8_t file_buffer[CACHE_SIZE];
    struct lfs_file_config file_config = {.buffer = file_buffer};
    struct lfs_info info;
    lfs_file_t file;
    char text[96];
    char back[96];
    INT8U err;
    int result;
    unsigned i;
    (void)p_arg;

    check(lfs_format(&fs, &fs_config) == 0, "format the RAM disk", (long)BLOCK_COUNT);
    check(lfs_mount(&fs, &fs_config) == 0, "mount", 0);
    for (i = 0u; i < 2u; i++) {
        (void)OSTaskCreate(writer_task, &writers[i], &writers[i].stack[APP_TASK_STK_SIZE - 1u],
                           (INT8U)(APP_TASK_WRITER_PRIO + i));
    }
    for (i = 0u; i < 2u; i++) {
        OSSemPend(done, 0u, &err);
    }
    check(writers[0].errors == 0u && writers[1].errors == 0u, "both writers read back what they wrote",
          (long)(writers[0].errors + writers[1].errors));
    check(lock_count > 0u, "littlefs took the uC/OS-II mutex", (long)lock_count);
    check(lfs_unmount(&fs) == 0, "unmount", 0);

    /* Everything again from the disk alone. */
    check(lfs_mount(&fs, &fs_config) == 0, "mount again", 0);
    for (i = 0u; i < 2u; i++) {
        int length = file_text(text, sizeof text, writers[i].name, ROUNDS);
        memset(back, 0, sizeof back);
        result = lfs_file_opencfg(&fs, &file, writers[i].path, LFS_O_RDONLY, &file_config);
        if (result == 0) {
            result = lfs_file_read(&fs, &file, back, sizeof back);
            (void)lfs_file_close(&fs, &file);
        }
        check(result == length && memcmp(back, text, (size_t)length) == 0,
              writers[i].name == 'a' ? "/a.txt holds round 8 after the remount"
                                     : "/b.txt holds round 8 after the remount",
              (long)result);
    }
    result = lfs_stat(&fs, "/log.txt", &info);
    check(result == 0 && info.type == LFS_TYPE_REG, "/log.txt size", (long)info.size);
    result = lfs_file_opencfg(&fs, &file, "/log.txt", LFS_O_RDONLY, &file_config);
    if (result == 0) {
        result = lfs_file_read(&fs, &file, log, sizeof log - 1u);
        (void)lfs_file_close(&fs, &file);
    }
    log[result > 0 ? result : 0] = '\0';
    check(result == (lfs_ssize_t)info.size, "read the whole log", (long)result);
    check(log_lines_in_order(log, 'a') == ROUNDS, "log lines of writer a, in order", (long)log_lines_in_order(log, 'a'));
    check(log_lines_in_order(log, 'b') == ROUNDS, "log lines of writer b, in order", (long)log_lines_in_order(log, 'b'));
    check(lfs_remove(&fs, "/a.txt") == 0 && lfs_stat(&fs, "/a.txt", &info) == LFS_ERR_NOENT, "remove /a.txt", 0);
    check(lfs_unmount(&fs) == 0, "unmount at the end", 0);
    printf("littlefs: littlefs %u.%u on a %u-block RAM disk, %lu block erases, %lu of %lu locks waited\n",
           (unsigned)(LFS_VERSION >> 16), (unsigned)(LFS_VERSION & 0xFFFFu), (unsigned)BLOCK_COUNT,
           (unsigned long)erases, (unsigned long)lock_waits, (unsigned long)lock_count);
    printf("littlefs: %u passed, %u failed\n", passed, failed);
    exit((int)failed);
}

int main(void)
{
    INT8U err;
    OSInit();
    fs_mutex = OSMutexCreate(APP_FS_MUTEX_PRIO, &err);
    done = OSSemCreate(0u);
    if (fs_mutex == NULL || done == NULL) {
        printf("littlefs: FAIL: creating the mutex and semaphore (%u)\n", (unsigned)err);
        return 1;
    }
    (void)OSTaskCreate(start_task, NULL, &start_stack[APP_TASK_STK_SIZE - 1u], APP_TASK_START_PRIO);
    OSStart();
    return 1;
}
