/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * queue — producer and consumer around a µC/OS-II message queue.
 *
 * The producer (higher priority) posts pointers to the 20 entries of a static
 * array of ints (values 1..20) to an 8-entry queue. When the queue is full it
 * shows the queue with OSQQuery() (once) and waits a tick for the consumer to
 * make room. The consumer pends on the queue, prints "queue: consumed N" for
 * each message and checks that they arrive in order; after the last one it
 * prints "queue: 20 messages in order" and the state of the now empty queue.
 */
#include <stdio.h>

#include "ucos_ii.h"
#include "app_cfg.h"

static int values[APP_N_MSGS];          /* the messages point here */
static void *queue_storage[APP_Q_SIZE]; /* the queue's entries     */
static OS_EVENT *queue;

static OS_STK producer_stk[APP_TASK_STK_SIZE];
static OS_STK consumer_stk[APP_TASK_STK_SIZE];

static void print_query(const char *when)
{
    OS_Q_DATA q_data;
    INT8U err;

    err = OSQQuery(queue, &q_data);
    if (err != OS_ERR_NONE) {
        printf("queue: OSQQuery error %u\n", (unsigned)err);
    } else if (q_data.OSNMsgs > 0u) {
        printf("queue: OSQQuery %s: %u of %u entries used, next message %d\n", when, (unsigned)q_data.OSNMsgs,
               (unsigned)q_data.OSQSize, *(int *)q_data.OSMsg);
    } else {
        printf("queue: OSQQuery %s: %u of %u entries used\n", when, (unsigned)q_data.OSNMsgs,
               (unsigned)q_data.OSQSize);
    }
    (void)fflush(stdout);
}

static void producer_task(void *p_arg)
{
    INT32U i;
    INT8U err;
    BOOLEAN shown = OS_FALSE;

    (void)p_arg;
    for (i = 0u; i < APP_N_MSGS; i++) {
        values[i] = (int)(i + 1u);
        for (;;) {
            err = OSQPost(queue, (void *)&values[i]);
            if (err != OS_ERR_Q_FULL) {
                break;
            }
            if (shown == OS_FALSE) {
                /* Nothing else has run yet: the consumer has a lower priority. */
                print_query("with the queue full");
                shown = OS_TRUE;
            }
            OSTimeDly(1u); /* let the consumer empty the queue */
        }
        if (err != OS_ERR_NONE) {
            printf("queue: OSQPost error %u\n", (unsigned)err);
            (void)fflush(stdout);
        }
    }
    (void)OSTaskDel(OS_PRIO_SELF); /* all sent */
}

static void consumer_task(void *p_arg)
{
    int expected = 1;
    int in_order = 1;
    int *pvalue;
    INT8U err;

    (void)p_arg;
    while (expected <= (int)APP_N_MSGS) {
        pvalue = (int *)OSQPend(queue, 0u, &err);
        if (err != OS_ERR_NONE) {
            printf("queue: OSQPend error %u\n", (unsigned)err);
            (void)fflush(stdout);
            in_order = 0;
            break;
        }
        printf("queue: consumed %d\n", *pvalue);
        (void)fflush(stdout);
        if (*pvalue != expected) {
            printf("queue: expected %d\n", expected);
            in_order = 0;
        }
        expected++;
    }
    if (in_order) {
        printf("queue: %u messages in order\n", (unsigned)APP_N_MSGS);
    } else {
        printf("queue: messages out of order\n");
    }
    print_query("at the end");
    (void)OSTaskDel(OS_PRIO_SELF);
}

int main(void)
{
    INT8U err;

    OSInit();
    printf("queue: starting\n");
    (void)fflush(stdout);

    queue = OSQCreate(&queue_storage[0], APP_Q_SIZE);
    if (queue == (OS_EVENT *)0) {
        printf("queue: cannot create the queue\n");
        return 1;
    }
    err = OSTaskCreateExt(producer_task, (void *)0, &producer_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_PRODUCER_PRIO,
                          APP_TASK_PRODUCER_PRIO, &producer_stk[0], APP_TASK_STK_SIZE, (void *)0,
                          OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    if (err == OS_ERR_NONE) {
        err = OSTaskCreateExt(consumer_task, (void *)0, &consumer_stk[APP_TASK_STK_SIZE - 1u],
                              APP_TASK_CONSUMER_PRIO, APP_TASK_CONSUMER_PRIO, &consumer_stk[0], APP_TASK_STK_SIZE,
                              (void *)0, OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    }
    if (err != OS_ERR_NONE) {
        printf("queue: cannot create the tasks: error %u\n", (unsigned)err);
        return 1;
    }

    OSStart(); /* does not return */
    return 1;
}
