/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* helpers.c: see helpers.h. */
#include "helpers.h"

#define HELPER_SLOTS 4
#define HELPER_STACK_WORDS 1024 /* 8 KiB, 8-byte aligned */

static uint64_t helper_stacks[HELPER_SLOTS][HELPER_STACK_WORDS];
static PvThreadId helper_owner[HELPER_SLOTS];

volatile PvThreadId test_root_thread;
volatile uint32_t echo_count;
volatile uint32_t echo_last_tag;
volatile PvThreadId echo_last_sender;
volatile uint32_t helper_flag;

uint32_t own_space(void)
{
    return pv_utcb()->space_id;
}

PvThreadId unused_thread_id(void)
{
    return PV_THREAD_ID(PV_THREAD_INDEX_MASK, 1u);
}

PvThreadId stale_version_of(PvThreadId id)
{
    return PV_THREAD_ID(PV_THREAD_INDEX(id), PV_THREAD_VERSION(id) + 1u);
}

uint32_t helper_create_halted(uint32_t priority, PvThreadId *id)
{
    return pv_thread_create(own_space(), priority, PV_NIL_THREAD, id);
}

uint32_t helper_start(void (*entry)(void), uint32_t priority, PvThreadId *id)
{
    unsigned slot;
    uint32_t result;

    test_root_thread = pv_thread_self();
    for (slot = 0; slot < HELPER_SLOTS; slot++) {
        if (helper_owner[slot] == PV_NIL_THREAD) {
            break;
        }
    }
    if (slot == HELPER_SLOTS) {
        return PV_ERR_NO_RESOURCES;
    }
    result = helper_create_halted(priority, id);
    if (result != PV_OK) {
        return result;
    }
    helper_owner[slot] = *id;
    return pv_start_sp_ip(*id, (uint32_t)(uintptr_t)&helper_stacks[slot][HELPER_STACK_WORDS],
                          (uint32_t)(uintptr_t)entry);
}

uint32_t helper_delete(PvThreadId id)
{
    unsigned slot;
    uint32_t result = pv_thread_delete(id);
    for (slot = 0; slot < HELPER_SLOTS; slot++) {
        if (helper_owner[slot] == id) {
            helper_owner[slot] = PV_NIL_THREAD;
        }
    }
    return result;
}

uint32_t wait_for_flag(volatile uint32_t *flag, unsigned rounds)
{
    while (*flag == 0 && rounds-- > 0) {
        (void)pv_thread_switch(PV_NIL_THREAD);
    }
    return *flag;
}

void helper_park(void)
{
    PvMessage message = { 0 }; /* pv_receive hands message.tag to the kernel too */
    for (;;) {
        (void)pv_receive(PV_ANY_THREAD, &message, PV_TIMEOUT_NEVER, NULL);
    }
}

void echo_server(void)
{
    PvMessage message = { 0 }; /* pv_receive hands message.tag to the kernel too */
    PvThreadId from = PV_NIL_THREAD;
    uint32_t result = pv_receive(PV_ANY_THREAD, &message, PV_TIMEOUT_NEVER, &from);
    for (;;) {
        uint32_t words;
        uint32_t i;
        if (result != PV_OK) {
            result = pv_receive(PV_ANY_THREAD, &message, PV_TIMEOUT_NEVER, &from);
            continue;
        }
        echo_last_tag = message.tag;
        echo_last_sender = from;
        echo_count++;
        words = pv_tag_words(message.tag);
        for (i = 0; i < words && i < PV_MAX_MESSAGE_WORDS; i++) {
            message.mr[i] += 1u;
        }
        message.tag = pv_tag(pv_tag_label(message.tag) + 1u, words);
        result = pv_reply_wait(from, &message, &from);
    }
}

void l4_echo_server(void)
{
    L4_ThreadId_t from = L4_nilthread;
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        L4_Msg_t msg;
        L4_Word_t i;
        if (L4_IpcFailed(tag)) {
            tag = L4_Wait(&from);
            continue;
        }
        echo_last_tag = tag.raw;
        echo_last_sender = from.raw;
        echo_count++;
        L4_MsgStore(tag, &msg);
        for (i = 0; i < L4_MsgTagU(tag); i++) {
            L4_MsgPutWord(&msg, i, L4_MsgWord(&msg, i) + 1u);
        }
        L4_Set_MsgLabel(&msg, L4_MsgTagLabel(tag) + 1u);
        L4_MsgLoad(&msg);
        tag = L4_ReplyWait(from, &from);
    }
}

void helper_set_flag(void)
{
    helper_flag = 1;
    helper_park();
}

void helper_send_to_root(void)
{
    PvMessage message = { 0 }; /* pv_receive hands message.tag to the kernel too */
    uint32_t i;
    message.tag = pv_tag(SENDER_LABEL, SENDER_WORDS);
    for (i = 0; i < SENDER_WORDS; i++) {
        message.mr[i] = i + 1u;
    }
    (void)pv_send(test_root_thread, &message, PV_TIMEOUT_NEVER);
    helper_park();
}
