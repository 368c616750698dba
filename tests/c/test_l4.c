/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* test_l4.c: the OKL4-style wrappers of include/l4 on top of the real calls. */
#include "helpers.h"

UT_FILE(test_l4);

static void load_words(L4_Word_t label, L4_Word_t count)
{
    L4_Msg_t msg;
    L4_Word_t i;
    L4_MsgClear(&msg);
    L4_Set_MsgLabel(&msg, label);
    for (i = 0; i < count; i++) {
        L4_MsgAppendWord(&msg, 0x500u + i);
    }
    L4_MsgLoad(&msg);
}

static void check_echo_reply(UT_CTX_PARAM, L4_MsgTag_t tag, L4_Word_t label, L4_Word_t count)
{
    L4_Msg_t reply;
    L4_Word_t i;
    UT_ASSERT(L4_IpcSucceeded(tag));
    UT_CHECK_EQ(L4_MsgTagLabel(tag), label + 1u);
    UT_CHECK_EQ(L4_MsgTagU(tag), count);
    L4_MsgStore(tag, &reply);
    for (i = 0; i < count; i++) {
        if (L4_MsgWord(&reply, i) != 0x501u + i) {
            UT_CHECK_EQ(L4_MsgWord(&reply, i), 0x501u + i);
            break;
        }
    }
}

UT_CASE(l4_call_to_a_pv_server_short_and_long)
{
    PvThreadId server = PV_NIL_THREAD;
    UT_ASSERT_EQ(helper_start(echo_server, HELPER_PRIORITY, &server), PV_OK);
    load_words(0x30u, 3u);
    check_echo_reply(ut_ctx, L4_Call_Timeouts(L4_ThreadIdFromRaw(server), L4_TimePeriod(TEST_TIMEOUT_MS * 1000u),
                                              L4_TimePeriod(TEST_TIMEOUT_MS * 1000u)),
                     0x30u, 3u);
    UT_CHECK_EQ(L4_ErrorCode(), PV_OK);
    load_words(0x31u, L4_PV_MAX_U);
    check_echo_reply(ut_ctx, L4_Call(L4_ThreadIdFromRaw(server)), 0x31u, L4_PV_MAX_U);
    UT_CHECK_EQ(echo_last_tag, pv_tag(0x31u, L4_PV_MAX_U));
    UT_CHECK_EQ(helper_delete(server), PV_OK);
}

UT_CASE(l4_server_with_wait_and_reply_wait)
{
    PvThreadId server = PV_NIL_THREAD;
    L4_ThreadId_t to;
    UT_ASSERT_EQ(helper_start(l4_echo_server, HELPER_PRIORITY, &server), PV_OK);
    to = L4_ThreadIdFromRaw(server);
    echo_count = 0;
    load_words(0x40u, 2u);
    check_echo_reply(ut_ctx, L4_Call(to), 0x40u, 2u);
    load_words(0x41u, 20u);
    check_echo_reply(ut_ctx, L4_Call(to), 0x41u, 20u);
    load_words(0x42u, 0u);
    check_echo_reply(ut_ctx, L4_Call(to), 0x42u, 0u);
    UT_CHECK_EQ(echo_count, 3u);
    UT_CHECK_EQ(echo_last_sender, L4_Myself().raw);
    UT_CHECK_EQ(helper_delete(server), PV_OK);
}

UT_CASE(l4_failed_send_sets_the_error_code)
{
    L4_MsgTag_t tag;
    load_words(1u, 1u);
    tag = L4_Send(L4_ThreadIdFromRaw(stale_version_of(L4_Myself().raw)));
    UT_CHECK(L4_IpcFailed(tag));
    UT_CHECK(!L4_IpcSucceeded(tag));
    UT_CHECK_EQ(L4_ErrorCode(), PV_ERR_INVALID_THREAD);
    UT_CHECK(!L4_IpcErrorIsReceivePhase(L4_ErrorCode()));
    UT_CHECK(L4_IpcFailed(L4_MsgTag()));
}

UT_CASE(l4_receive_timeout_is_a_receive_phase_error)
{
    L4_MsgTag_t tag = L4_Receive_Timeout(L4_anythread, L4_ZeroTime);
    UT_CHECK(L4_IpcFailed(tag));
    UT_CHECK_EQ(L4_ErrorCode(), PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE);
    UT_CHECK(L4_IpcErrorIsReceivePhase(L4_ErrorCode()));
    tag = L4_Wait_Timeout(L4_TimePeriod(1000u), NULL);
    UT_CHECK(L4_IpcFailed(tag));
    UT_CHECK_EQ(L4_ErrorCode(), PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE);
}

UT_CASE(l4_reply_to_a_thread_not_waiting_times_out)
{
    PvThreadId thread = PV_NIL_THREAD;
    L4_MsgTag_t tag;
    UT_ASSERT_EQ(helper_create_halted(ROOT_PRIORITY, &thread), PV_OK);
    load_words(2u, 2u);
    tag = L4_Reply(L4_ThreadIdFromRaw(thread));
    UT_CHECK(L4_IpcFailed(tag));
    UT_CHECK_EQ(L4_ErrorCode(), PV_ERR_TIMEOUT);
    UT_CHECK_EQ(pv_thread_delete(thread), PV_OK);
}

UT_CASE(l4_receive_from_a_given_thread)
{
    PvThreadId sender = PV_NIL_THREAD;
    L4_MsgTag_t tag;
    L4_Word_t word = 0;
    UT_ASSERT_EQ(helper_start(helper_send_to_root, HELPER_PRIORITY, &sender), PV_OK);
    tag = L4_Receive_Timeout(L4_ThreadIdFromRaw(sender), L4_TimePeriod(TEST_TIMEOUT_MS * 1000u));
    UT_ASSERT(L4_IpcSucceeded(tag));
    UT_CHECK_EQ(L4_Label(tag), SENDER_LABEL);
    UT_CHECK_EQ(L4_UntypedWords(tag), SENDER_WORDS);
    UT_CHECK_EQ(L4_TypedWords(tag), 0u);
    /* The pv_* sender's word i is MRi. */
    L4_StoreMR(0, &word);
    UT_CHECK_EQ(word, 1u);
    L4_StoreMR((int)SENDER_WORDS - 1, &word);
    UT_CHECK_EQ(word, SENDER_WORDS);
    UT_CHECK_EQ(helper_delete(sender), PV_OK);
}

UT_CASE(l4_ipc_sends_and_receives_straight_from_the_message_registers)
{
    PvThreadId server = PV_NIL_THREAD;
    PvUtcb *utcb = pv_utcb();
    L4_MsgTag_t tag;
    L4_Word_t i;
    UT_ASSERT_EQ(helper_start(echo_server, HELPER_PRIORITY, &server), PV_OK);
    /* No L4_Msg_t: the words are loaded into the MRs, which the kernel sends
     * as they are (the pv_* server sees word i = MRi) ... */
    L4_Set_MsgTag(L4_MsgTagMake(0x50u, PV_MAX_MESSAGE_WORDS));
    for (i = 0; i < PV_MAX_MESSAGE_WORDS; i++) {
        L4_LoadMR((int)i, 0x700u + i);
    }
    tag = L4_Call(L4_ThreadIdFromRaw(server));
    UT_ASSERT(L4_IpcSucceeded(tag));
    UT_CHECK_EQ(tag.raw, pv_tag(0x51u, PV_MAX_MESSAGE_WORDS));
    UT_CHECK_EQ(L4_MsgTag().raw, tag.raw);
    /* ... and the reply's word i lands in MRi = utcb->mr[i], all 64 of them. */
    for (i = 0; i < PV_MAX_MESSAGE_WORDS; i++) {
        if (utcb->mr[i] != 0x701u + i) {
            UT_CHECK_EQ(utcb->mr[i], 0x701u + i);
            break;
        }
    }
    /* A tag asking for more words than the ABI carries is the kernel's error. */
    L4_Set_MsgTag(L4_MsgTagMake(0x52u, PV_MAX_MESSAGE_WORDS + 1u));
    tag = L4_Call(L4_ThreadIdFromRaw(server));
    UT_CHECK(L4_IpcFailed(tag));
    UT_CHECK_EQ(L4_ErrorCode(), PV_ERR_TOO_LONG);
    UT_CHECK_EQ(helper_delete(server), PV_OK);
}

UT_CASE(l4_exchange_registers_reads_a_halted_thread)
{
    L4_ThreadId_t thread;
    L4_Word_t state = 0;
    L4_Word_t sp = 1;
    L4_Word_t ip = 1;
    L4_Word_t flags = 0;
    UT_ASSERT(thread_create(&thread) != 0);
    UT_CHECK(L4_IsThreadEqual(L4_ExchangeRegisters(thread, 0, 0, 0, 0, &state, &sp, &ip, &flags), thread));
    UT_CHECK(state & PV_STATE_HALTED);
    UT_CHECK(L4_ThreadWasHalted(L4_ReadThreadState(thread)));
    UT_CHECK(!L4_ThreadWasIpcing(L4_ReadThreadState(thread)));
    UT_CHECK_EQ(thread_delete(thread.raw), PV_OK);
}

UT_CASE(l4_exchange_registers_errors)
{
    L4_ThreadId_t result = L4_ExchangeRegisters(L4_ThreadIdFromRaw(unused_thread_id()), 0, 0, 0, 0, NULL, NULL,
                                                NULL, NULL);
    UT_CHECK(L4_IsNilThread(result));
    UT_CHECK_EQ(L4_ErrorCode(), PV_ERR_INVALID_THREAD);
    UT_CHECK(!L4_Start_SpIp(L4_ThreadIdFromRaw(unused_thread_id()), 0, 0));
    UT_CHECK_EQ(L4_ErrorCode(), PV_ERR_INVALID_THREAD);
    UT_CHECK(!L4_Set_Priority(L4_Myself(), PV_PRIORITY_MAX + 1u));
    UT_CHECK_EQ(L4_ErrorCode(), PV_ERR_INVALID_ARGUMENT);
}

UT_CASE(l4_start_sp_ip_runs_a_created_thread)
{
    L4_ThreadId_t thread;
    static uint64_t stack[512];
    helper_flag = 0;
    UT_ASSERT(thread_create_priority((int)HELPER_PRIORITY, &thread) != 0);
    UT_CHECK_EQ(wait_for_flag(&helper_flag, 3u), 0u);
    UT_CHECK(L4_Start_SpIp(thread, (L4_Word_t)(uintptr_t)&stack[512], (L4_Word_t)(uintptr_t)helper_set_flag));
    UT_CHECK_EQ(wait_for_flag(&helper_flag, 100u), 1u);
    UT_CHECK_EQ(thread_delete(thread.raw), PV_OK);
}

UT_CASE(iguana_thread_create_simple_runs_the_function)
{
    static uint64_t stack[512];
    thread_ref_t thread;
    helper_flag = 0;
    thread = thread_create_simple(helper_set_flag, &stack[512], (int)HELPER_PRIORITY);
    UT_ASSERT(thread != 0);
    UT_CHECK(L4_IsThreadNotEqual(thread_l4tid(thread), L4_Myself()));
    UT_CHECK_EQ(wait_for_flag(&helper_flag, 100u), 1u);
    UT_CHECK_EQ(thread_delete(thread), PV_OK);
    UT_CHECK_EQ(thread_myself(), L4_Myself().raw);
}

UT_CASE(iguana_thread_create_errors)
{
    L4_ThreadId_t thread = L4_nilthread;
    UT_CHECK_EQ(thread_create_in_space(UNKNOWN_SPACE, (int)ROOT_PRIORITY, L4_nilthread, &thread), 0u);
    UT_CHECK_EQ(L4_ErrorCode(), PV_ERR_INVALID_SPACE);
    UT_CHECK(L4_IsNilThread(thread));
    UT_CHECK_EQ(thread_create_priority(256, &thread), 0u);
    UT_CHECK_EQ(L4_ErrorCode(), PV_ERR_INVALID_ARGUMENT);
    UT_CHECK_EQ(thread_create_priority(-1, &thread), 0u);
    UT_CHECK_EQ(L4_ErrorCode(), PV_ERR_INVALID_ARGUMENT);
}

UT_CASE(l4_yield_and_thread_switch_return)
{
    L4_Clock_t before = L4_SystemClock();
    L4_Yield();
    L4_ThreadSwitch(L4_Myself());
    L4_ThreadSwitch(L4_nilthread);
    UT_CHECK(L4_SystemClock().raw >= before.raw);
}
