/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * echo — a µC/OS-II task reading the console.
 *
 * The task prints "echo: ready", then reads characters with getchar() and, for
 * each line, prints "echo: <line>". A line ends with LF, CR or CR LF;
 * backspace/DEL removes the last character. On the line "quit" it prints
 * "echo: bye" and ends the guest with exit(0).
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"

static OS_STK echo_stk[APP_TASK_STK_SIZE];

static BOOLEAN str_equal(const char *a, const char *b)
{
    while ((*a != '\0') && (*a == *b)) {
        a++;
        b++;
    }
    return (*a == *b) ? OS_TRUE : OS_FALSE;
}

static void echo_task(void *p_arg)
{
    char line[APP_LINE_MAX + 1u];
    INT32U len = 0u;
    BOOLEAN after_cr = OS_FALSE;
    int c;

    (void)p_arg;
    printf("echo: ready\n");
    (void)fflush(stdout);

    for (;;) {
        c = getchar();
        if (c == EOF) {
            /* No input right now: try again a little later. */
            clearerr(stdin);
            OSTimeDly(10u);
            continue;
        }
        if ((c == '\n') && (after_cr == OS_TRUE)) {
            after_cr = OS_FALSE; /* the LF of a CR LF pair */
            continue;
        }
        after_cr = (c == '\r') ? OS_TRUE : OS_FALSE;
        if ((c == '\r') || (c == '\n')) {
            line[len] = '\0';
            if (str_equal(line, "quit") == OS_TRUE) {
                printf("echo: bye\n");
                (void)fflush(stdout);
                exit(0);
            }
            printf("echo: %s\n", line);
            (void)fflush(stdout);
            len = 0u;
        } else if ((c == '\b') || (c == 0x7F)) {
            if (len > 0u) {
                len--;
            }
        } else if (len < APP_LINE_MAX) {
            line[len] = (char)c;
            len++;
        } else {
            /* Line too long: the rest is dropped. */
        }
    }
}

int main(void)
{
    INT8U err;

    OSInit();
    err = OSTaskCreateExt(echo_task, (void *)0, &echo_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_ECHO_PRIO,
                          APP_TASK_ECHO_PRIO, &echo_stk[0], APP_TASK_STK_SIZE, (void *)0,
                          OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    if (err != OS_ERR_NONE) {
        printf("echo: cannot create the task: error %u\n", (unsigned)err);
        return 1;
    }

    OSStart(); /* does not return */
    return 1;
}
