/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * limits — test application: the root server and v_serial hold a guest to
 * what the system description gives it. Run as the only guest of the `limits`
 * image (priority 30, 6144 KiB, no console input); each check prints
 * "limits: PASS: ..." or "limits: FAIL: ...", then a summary, and the guest
 * exits 0 when all passed.
 *
 *  - threads: at most at its ceiling (its priority + 1, where its
 *    Interrupt_loop runs); above it, and at 0xFFFFFFFF, PV_ERR_NO_PRIVILEGE
 *    (refused, never clamped); a request without its priority word
 *    PV_ERR_INVALID_ARGUMENT; at most four threads per guest;
 *  - memory: sections come from its 6144 KiB only (its image, its first stack,
 *    the runtime's heap and µC/OS-II stack take 5 MiB): one more MiB is
 *    granted, beyond that PV_ERR_NO_RESOURCES;
 *  - console input: it is not the guest the description gives the console,
 *    so v_serial refuses to attach it (PV_ERR_NO_PRIVILEGE).
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"
#include <paravirt.h>
#include <paravirt_macros.h>
#include <ucvisor_guest.h>

static OS_STK limits_stk[APP_TASK_STK_SIZE];
static unsigned passed;
static unsigned failed;

static void expect(const char *what, uint32_t got, uint32_t wanted)
{
    if (got == wanted) {
        passed++;
        printf("limits: PASS: %s: %lu\n", what, (unsigned long)got);
    } else {
        failed++;
        printf("limits: FAIL: %s: %lu, expected %lu\n", what, (unsigned long)got, (unsigned long)wanted);
    }
}

static void limits_task(void *p_arg)
{
    uint32_t root = ucvisor_root_server();
    uint32_t ceiling = ucvisor_priority() + 1u;
    uint32_t thread = 0u;
    uint32_t address = 0u;
    PvMessage empty;

    (void)p_arg;
    printf("limits: priority %lu, ceiling %lu\n", (unsigned long)ucvisor_priority(), (unsigned long)ceiling);

    expect("thread one above the ceiling", pv_root_thread_create(root, ceiling + 1u, &thread), PV_ERR_NO_PRIVILEGE);
    expect("thread at 0xFFFFFFFF", pv_root_thread_create(root, 0xFFFFFFFFu, &thread), PV_ERR_NO_PRIVILEGE);
    expect("thread at 255", pv_root_thread_create(root, 255u, &thread), PV_ERR_NO_PRIVILEGE);
    empty.tag = PV_TAG(PV_ROOT_THREAD_CREATE, 0u);
    expect("thread request without a priority", pv_call(root, &empty), PV_OK);
    expect("its result", empty.mr[0], PV_ERR_INVALID_ARGUMENT);
    expect("thread at the ceiling", pv_root_thread_create(root, ceiling, &thread), PV_OK);
    expect("thread at its own priority", pv_root_thread_create(root, ceiling - 1u, &thread), PV_OK);
    expect("a fifth thread", pv_root_thread_create(root, 1u, &thread), PV_ERR_NO_RESOURCES);

    expect("2 MiB beyond its memory", pv_memsection_create(root, 2u * PV_SECTION_SIZE, &address), PV_ERR_NO_RESOURCES);
    expect("an empty memory section", pv_memsection_create(root, 0u, &address), PV_ERR_INVALID_ARGUMENT);
    expect("its last MiB", pv_memsection_create(root, PV_SECTION_SIZE, &address), PV_OK);
    expect("one byte more", pv_memsection_create(root, 1u, &address), PV_ERR_NO_RESOURCES);

    expect("console input", pv_serial_attach_input(ucvisor_v_serial(), pv_thread_self()), PV_ERR_NO_PRIVILEGE);

    printf("limits: %u passed, %u failed\n", passed, failed);
    (void)fflush(stdout);
    exit(failed == 0u ? 0 : 1);
}

int main(void)
{
    OSInit();
    (void)OSTaskCreate(limits_task, (void *)0, &limits_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_LIMITS_PRIO);
    OSStart();
    return 1;
}
