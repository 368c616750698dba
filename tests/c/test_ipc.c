/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* test_ipc.c: pv_ipc and friends, errors first, then real transfers with helper threads. */
#include "helpers.h"

UT_FILE(test_ipc);

static void fill_message(PvMessage *message, uint32_t label, uint32_t words)
{
    uint32_t i;
    message->tag = pv_tag(label, words);
    for (i = 0; i < PV_MAX_MESSAGE_WORDS; i++) {
        message->mr[i] = 0x1000u * (label & 0xFFu) + i;
    }
}

/* One call to the echo server with `words` words; checks the reply. */
static void call_echo(UT_CTX_PARAM, PvThreadId server, uint32_t label, uint32_t words)
{
    PvMessage message = { 0 };
    PvMessage sent;
    uint32_t i;
    uint32_t mismatches = 0;

    fill_message(&message, label, words);
    sent = message;
    UT_ASSERT_EQ(pv_ipc(server, server, pv_timeouts(TEST_TIMEOUT_MS, TEST_TIMEOUT_MS), &message, NULL), PV_OK);
    UT_CHECK_EQ(echo_last_tag, sent.tag);
    UT_CHECK_EQ(echo_last_sender, pv_thread_self());
    UT_CHECK_EQ(message.tag, pv_tag(label + 1u, words));
    for (i = 0; i < words; i++) {
        if (message.mr[i] != sent.mr[i] + 1u) {
            UT_CHECK_EQ(message.mr[i], sent.mr[i] + 1u);
            ut_print_hex("  at word ", i);
            if (++mismatches == 4u) {
                break;
            }
        }
    }
}

UT_CASE(ipc_to_an_unused_thread_index_is_invalid)
{
    PvMessage message = { 0 };
    fill_message(&message, 1u, 1u);
    UT_CHECK_EQ(pv_send(unused_thread_id(), &message, PV_TIMEOUT_ZERO), PV_ERR_INVALID_THREAD);
    /* A call also receives from the bad thread: the kernel may report either phase. */
    UT_CHECK_EQ(pv_call(unused_thread_id(), &message) & ~(uint32_t)PV_ERR_RECEIVE_PHASE, PV_ERR_INVALID_THREAD);
}

UT_CASE(ipc_to_a_stale_version_is_invalid)
{
    PvMessage message = { 0 };
    fill_message(&message, 1u, 1u);
    UT_CHECK_EQ(pv_send(stale_version_of(pv_thread_self()), &message, PV_TIMEOUT_ZERO), PV_ERR_INVALID_THREAD);
}

UT_CASE(ipc_with_nil_destination_has_no_send_phase)
{
    /* L4 semantics: a nil destination means "no send phase", so a send-only IPC
     * to nil is an empty operation, and its message is not even checked. */
    PvMessage message = { 0 };
    fill_message(&message, 1u, 1u);
    UT_CHECK_EQ(pv_send(PV_NIL_THREAD, &message, PV_TIMEOUT_ZERO), PV_OK);
    message.tag = pv_tag(0u, PV_MAX_MESSAGE_WORDS + 1u);
    UT_CHECK_EQ(pv_send(PV_NIL_THREAD, &message, PV_TIMEOUT_ZERO), PV_OK);
}

UT_CASE(ipc_to_a_deleted_thread_is_invalid)
{
    PvMessage message = { 0 };
    PvThreadId thread = PV_NIL_THREAD;
    UT_ASSERT_EQ(helper_create_halted(ROOT_PRIORITY, &thread), PV_OK);
    UT_ASSERT_EQ(pv_thread_delete(thread), PV_OK);
    fill_message(&message, 1u, 1u);
    UT_CHECK_EQ(pv_send(thread, &message, PV_TIMEOUT_ZERO), PV_ERR_INVALID_THREAD);
}

UT_CASE(ipc_send_to_yourself_is_an_invalid_argument)
{
    PvMessage message = { 0 };
    fill_message(&message, 1u, 1u);
    UT_CHECK_EQ(pv_send(pv_thread_self(), &message, PV_TIMEOUT_ZERO), PV_ERR_INVALID_ARGUMENT);
}

UT_CASE(ipc_with_more_than_64_words_is_too_long)
{
    PvMessage message = { 0 };
    PvThreadId thread = PV_NIL_THREAD;
    UT_ASSERT_EQ(helper_create_halted(ROOT_PRIORITY, &thread), PV_OK);
    fill_message(&message, 1u, 0u);
    message.tag = pv_tag(1u, PV_MAX_MESSAGE_WORDS + 1u);
    UT_CHECK_EQ(pv_send(thread, &message, PV_TIMEOUT_ZERO), PV_ERR_TOO_LONG);
    message.tag = pv_tag(1u, PV_TAG_WORDS_MASK);
    UT_CHECK_EQ(pv_send(thread, &message, PV_TIMEOUT_ZERO), PV_ERR_TOO_LONG);
    UT_CHECK_EQ(pv_thread_delete(thread), PV_OK);
}

UT_CASE(ipc_receive_with_zero_timeout_and_no_sender_times_out)
{
    PvMessage message = { 0 };
    UT_CHECK_EQ(pv_receive(PV_ANY_THREAD, &message, PV_TIMEOUT_ZERO, NULL), PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE);
}

UT_CASE(ipc_receive_with_a_20ms_timeout_waits_at_least_20ms)
{
    PvMessage message = { 0 };
    uint64_t start = pv_system_clock();
    uint32_t result = pv_receive(PV_ANY_THREAD, &message, 20u, NULL);
    uint64_t elapsed = pv_system_clock() - start;
    UT_CHECK_EQ(result, PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE);
    UT_CHECK(elapsed >= 20000u);
    if (elapsed < 20000u) {
        ut_print_hex("  elapsed us: ", elapsed);
    }
}

UT_CASE(ipc_send_with_zero_timeout_to_a_thread_not_receiving_times_out)
{
    PvMessage message = { 0 };
    PvThreadId thread = PV_NIL_THREAD;
    UT_ASSERT_EQ(helper_create_halted(ROOT_PRIORITY, &thread), PV_OK);
    fill_message(&message, 1u, 2u);
    UT_CHECK_EQ(pv_send(thread, &message, PV_TIMEOUT_ZERO), PV_ERR_TIMEOUT);
    UT_CHECK_EQ(pv_thread_delete(thread), PV_OK);
}

UT_CASE(ipc_call_round_trip_short_messages)
{
    PvThreadId server = PV_NIL_THREAD;
    UT_ASSERT_EQ(helper_start(echo_server, HELPER_PRIORITY, &server), PV_OK);
    echo_count = 0;
    call_echo(ut_ctx, server, 0x10u, 0u);
    call_echo(ut_ctx, server, 0x11u, 1u);
    call_echo(ut_ctx, server, 0x12u, PV_REGISTER_WORDS);
    UT_CHECK_EQ(echo_count, 3u);
    UT_CHECK_EQ(helper_delete(server), PV_OK);
}

UT_CASE(ipc_call_round_trip_long_messages_through_the_utcb)
{
    PvThreadId server = PV_NIL_THREAD;
    UT_ASSERT_EQ(helper_start(echo_server, HELPER_PRIORITY, &server), PV_OK);
    call_echo(ut_ctx, server, 0x20u, PV_REGISTER_WORDS + 1u);
    call_echo(ut_ctx, server, 0x21u, 33u);
    call_echo(ut_ctx, server, 0x22u, PV_MAX_MESSAGE_WORDS);
    UT_CHECK_EQ(helper_delete(server), PV_OK);
}

UT_CASE(ipc_send_with_zero_timeout_to_a_receiving_thread_succeeds)
{
    PvMessage message = { 0 };
    PvThreadId server = PV_NIL_THREAD;
    UT_ASSERT_EQ(helper_start(helper_park, HELPER_PRIORITY, &server), PV_OK);
    (void)pv_thread_switch(server);
    fill_message(&message, 3u, 4u);
    UT_CHECK_EQ(pv_send(server, &message, PV_TIMEOUT_ZERO), PV_OK);
    UT_CHECK_EQ(helper_delete(server), PV_OK);
}

UT_CASE(ipc_receive_reports_the_sender_and_the_message)
{
    PvMessage message = { 0 };
    PvThreadId sender = PV_NIL_THREAD;
    PvThreadId from = PV_NIL_THREAD;
    uint32_t i;
    UT_ASSERT_EQ(helper_start(helper_send_to_root, HELPER_PRIORITY, &sender), PV_OK);
    UT_ASSERT_EQ(pv_receive(sender, &message, TEST_TIMEOUT_MS, &from), PV_OK);
    UT_CHECK_EQ(from, sender);
    UT_CHECK_EQ(message.tag, pv_tag(SENDER_LABEL, SENDER_WORDS));
    for (i = 0; i < SENDER_WORDS; i++) {
        UT_CHECK_EQ(message.mr[i], i + 1u);
    }
    UT_CHECK_EQ(helper_delete(sender), PV_OK);
}

UT_CASE(ipc_open_receive_accepts_any_sender)
{
    PvMessage message = { 0 };
    PvThreadId sender = PV_NIL_THREAD;
    PvThreadId from = PV_NIL_THREAD;
    UT_ASSERT_EQ(helper_start(helper_send_to_root, HELPER_PRIORITY, &sender), PV_OK);
    UT_ASSERT_EQ(pv_receive(PV_ANY_THREAD, &message, TEST_TIMEOUT_MS, &from), PV_OK);
    UT_CHECK_EQ(from, sender);
    UT_CHECK_EQ(pv_tag_label(message.tag), SENDER_LABEL);
    UT_CHECK_EQ(helper_delete(sender), PV_OK);
}
