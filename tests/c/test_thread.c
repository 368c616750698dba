/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* test_thread.c: thread control, ExchangeRegisters and priorities. */
#include "helpers.h"

UT_FILE(test_thread);

UT_CASE(thread_create_in_own_space_and_delete)
{
    PvThreadId thread = PV_NIL_THREAD;
    UT_ASSERT_EQ(pv_thread_create(own_space(), ROOT_PRIORITY, PV_NIL_THREAD, &thread), PV_OK);
    UT_CHECK(thread != PV_NIL_THREAD);
    UT_CHECK(thread != pv_thread_self());
    UT_CHECK(pv_thread_index(thread) != 0u);
    UT_CHECK_EQ(pv_thread_delete(thread), PV_OK);
    UT_CHECK_EQ(pv_thread_delete(thread), PV_ERR_INVALID_THREAD);
}

UT_CASE(thread_create_with_an_exception_handler)
{
    PvThreadId thread = PV_NIL_THREAD;
    UT_ASSERT_EQ(pv_thread_create(own_space(), ROOT_PRIORITY, pv_thread_self(), &thread), PV_OK);
    UT_CHECK_EQ(pv_thread_delete(thread), PV_OK);
}

UT_CASE(thread_create_in_an_unknown_space_is_invalid)
{
    PvThreadId thread = PV_NIL_THREAD;
    UT_CHECK_EQ(pv_thread_create(UNKNOWN_SPACE, ROOT_PRIORITY, PV_NIL_THREAD, &thread), PV_ERR_INVALID_SPACE);
}

UT_CASE(thread_create_with_priority_above_255_is_invalid)
{
    PvThreadId thread = PV_NIL_THREAD;
    UT_CHECK_EQ(pv_thread_create(own_space(), PV_PRIORITY_MAX + 1u, PV_NIL_THREAD, &thread),
                PV_ERR_INVALID_ARGUMENT);
    UT_CHECK_EQ(pv_thread_create(own_space(), 0xFFFFFFFFu, PV_NIL_THREAD, &thread), PV_ERR_INVALID_ARGUMENT);
    UT_ASSERT_EQ(pv_thread_create(own_space(), PV_PRIORITY_MAX, PV_NIL_THREAD, &thread), PV_OK);
    UT_CHECK_EQ(pv_thread_delete(thread), PV_OK);
}

UT_CASE(thread_delete_of_unknown_threads_is_invalid)
{
    UT_CHECK_EQ(pv_thread_delete(unused_thread_id()), PV_ERR_INVALID_THREAD);
    UT_CHECK_EQ(pv_thread_delete(stale_version_of(pv_thread_self())), PV_ERR_INVALID_THREAD);
    UT_CHECK_EQ(pv_thread_delete(PV_NIL_THREAD), PV_ERR_INVALID_THREAD);
}

UT_CASE(created_thread_is_halted_until_started)
{
    PvThreadId thread = PV_NIL_THREAD;
    PvRegisters old = { 0, 0, 0, 0 };
    helper_flag = 0;
    UT_ASSERT_EQ(helper_create_halted(HELPER_PRIORITY, &thread), PV_OK);
    UT_CHECK_EQ(wait_for_flag(&helper_flag, 5u), 0u);
    UT_CHECK_EQ(pv_exchange_registers(thread, 0, 0, 0, 0, &old), PV_OK);
    UT_CHECK(old.state & PV_STATE_HALTED);
    pv_thread_delete(thread);

    UT_ASSERT_EQ(helper_start(helper_set_flag, HELPER_PRIORITY, &thread), PV_OK);
    UT_CHECK_EQ(wait_for_flag(&helper_flag, 100u), 1u);
    UT_CHECK_EQ(helper_delete(thread), PV_OK);
}

UT_CASE(exchange_registers_of_an_unknown_thread_is_invalid)
{
    PvRegisters old;
    UT_CHECK_EQ(pv_exchange_registers(unused_thread_id(), 0, 0, 0, 0, &old), PV_ERR_INVALID_THREAD);
    UT_CHECK_EQ(pv_exchange_registers(stale_version_of(pv_thread_self()), 0, 0, 0, 0, &old),
                PV_ERR_INVALID_THREAD);
    UT_CHECK_EQ(pv_start_sp_ip(unused_thread_id(), 0, 0), PV_ERR_INVALID_THREAD);
}

UT_CASE(exchange_registers_with_unknown_control_bits_is_invalid)
{
    PvThreadId thread = PV_NIL_THREAD;
    PvRegisters old;
    UT_ASSERT_EQ(helper_create_halted(ROOT_PRIORITY, &thread), PV_OK);
    UT_CHECK_EQ(pv_exchange_registers(thread, 1u << 20, 0, 0, 0, &old), PV_ERR_INVALID_ARGUMENT);
    UT_CHECK_EQ(pv_exchange_registers(thread, 0x80000000u, 0, 0, 0, &old), PV_ERR_INVALID_ARGUMENT);
    UT_CHECK_EQ(pv_thread_delete(thread), PV_OK);
}

UT_CASE(exchange_registers_with_control_0_changes_nothing)
{
    PvThreadId thread = PV_NIL_THREAD;
    PvRegisters first = { 0, 0, 0, 0 };
    PvRegisters second = { 1, 1, 1, 1 };
    UT_ASSERT_EQ(helper_create_halted(ROOT_PRIORITY, &thread), PV_OK);
    UT_CHECK_EQ(pv_exchange_registers(thread, 0, 0x1111u, 0x2222u, 0x3333u, &first), PV_OK);
    UT_CHECK_EQ(pv_exchange_registers(thread, 0, 0x4444u, 0x5555u, 0x6666u, &second), PV_OK);
    UT_CHECK_EQ(first.sp, second.sp);
    UT_CHECK_EQ(first.ip, second.ip);
    UT_CHECK_EQ(first.flags, second.flags);
    UT_CHECK_EQ(first.state, second.state);
    UT_CHECK(second.state & PV_STATE_HALTED);
    UT_CHECK_EQ(pv_thread_delete(thread), PV_OK);
}

UT_CASE(exchange_registers_sets_sp_and_ip_of_a_halted_thread)
{
    PvThreadId thread = PV_NIL_THREAD;
    PvRegisters old = { 0, 0, 0, 0 };
    UT_ASSERT_EQ(helper_create_halted(ROOT_PRIORITY, &thread), PV_OK);
    UT_CHECK_EQ(pv_exchange_registers(thread, PV_EXREG_SET_SP | PV_EXREG_SET_IP, 0x00200000u, 0x00100040u, 0, &old),
                PV_OK);
    UT_CHECK_EQ(pv_exchange_registers(thread, 0, 0, 0, 0, &old), PV_OK);
    UT_CHECK_EQ(old.sp, 0x00200000u);
    UT_CHECK_EQ(old.ip, 0x00100040u);
    UT_CHECK(old.state & PV_STATE_HALTED);
    UT_CHECK_EQ(pv_thread_delete(thread), PV_OK);
}

UT_CASE(exchange_registers_reports_a_receiving_thread)
{
    PvThreadId thread = PV_NIL_THREAD;
    PvRegisters old = { 0, 0, 0, 0 };
    UT_ASSERT_EQ(helper_start(helper_park, HELPER_PRIORITY, &thread), PV_OK);
    (void)pv_thread_switch(thread);
    UT_CHECK_EQ(pv_exchange_registers(thread, 0, 0, 0, 0, &old), PV_OK);
    UT_CHECK(old.state & PV_STATE_RECEIVING);
    UT_CHECK(!(old.state & PV_STATE_HALTED));
    UT_CHECK(old.sp != 0u);
    UT_CHECK_EQ(helper_delete(thread), PV_OK);
}

UT_CASE(set_priority_checks_its_arguments)
{
    PvThreadId thread = PV_NIL_THREAD;
    UT_ASSERT_EQ(helper_create_halted(ROOT_PRIORITY, &thread), PV_OK);
    UT_CHECK_EQ(pv_set_priority(thread, PV_PRIORITY_MAX + 1u), PV_ERR_INVALID_ARGUMENT);
    UT_CHECK_EQ(pv_set_priority(thread, 50u), PV_OK);
    UT_CHECK_EQ(pv_set_priority(thread, PV_PRIORITY_MAX), PV_OK);
    UT_CHECK_EQ(pv_set_priority(unused_thread_id(), 50u), PV_ERR_INVALID_THREAD);
    UT_CHECK_EQ(pv_thread_delete(thread), PV_OK);
    UT_CHECK_EQ(pv_set_priority(thread, 50u), PV_ERR_INVALID_THREAD);
}

UT_CASE(thread_switch_donates_the_timeslice_to_a_lower_priority_thread)
{
    PvThreadId thread = PV_NIL_THREAD;
    helper_flag = 0;
    /* Far below the root: it never runs while the root is ready ... */
    UT_ASSERT_EQ(helper_start(helper_set_flag, ROOT_PRIORITY - 50u, &thread), PV_OK);
    (void)pv_thread_switch(PV_NIL_THREAD);
    UT_CHECK_EQ(helper_flag, 0u);
    /* ... unless the root donates the rest of its timeslice to it: it runs at
     * once, sets the flag and blocks, which gives the processor back. */
    UT_CHECK_EQ(pv_thread_switch(thread), PV_OK);
    UT_CHECK_EQ(helper_flag, 1u);
    UT_CHECK_EQ(helper_delete(thread), PV_OK);
    UT_CHECK_EQ(pv_thread_switch(thread), PV_ERR_INVALID_THREAD);
}

UT_CASE(thread_switch_refuses_a_thread_of_another_space)
{
    uint32_t space = 0;
    PvThreadId thread = PV_NIL_THREAD;
    UT_ASSERT_EQ(pv_space_create(&space), PV_OK);
    UT_ASSERT_EQ(pv_thread_create(space, ROOT_PRIORITY - 50u, PV_NIL_THREAD, &thread), PV_OK);
    /* As if it did not exist: a domain learns nothing of another's threads. */
    UT_CHECK_EQ(pv_thread_switch(thread), PV_ERR_INVALID_THREAD);
    UT_CHECK_EQ(pv_thread_delete(thread), PV_OK);
    UT_CHECK_EQ(pv_space_delete(space), PV_OK);
}
