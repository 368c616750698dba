/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* test_irq.c: pv_interrupt_control argument checks and association rules. */
#include "helpers.h"

UT_FILE(test_irq);

UT_CASE(interrupt_numbers_from_128_are_invalid)
{
    UT_CHECK_EQ(pv_interrupt_control(128u, pv_thread_self()), PV_ERR_INVALID_ARGUMENT);
    UT_CHECK_EQ(pv_interrupt_control(0xFFFFFFFFu, pv_thread_self()), PV_ERR_INVALID_ARGUMENT);
}

UT_CASE(the_kernel_timer_interrupt_cannot_be_taken)
{
    UT_CHECK_EQ(pv_interrupt_control(30u, pv_thread_self()), PV_ERR_INVALID_ARGUMENT);
}

UT_CASE(interrupt_handler_must_exist)
{
    UT_CHECK_EQ(pv_interrupt_control(SPARE_IRQ, unused_thread_id()), PV_ERR_INVALID_THREAD);
    UT_CHECK_EQ(pv_interrupt_control(SPARE_IRQ, stale_version_of(pv_thread_self())), PV_ERR_INVALID_THREAD);
}

UT_CASE(interrupt_association_is_exclusive_until_detached)
{
    PvThreadId helper = PV_NIL_THREAD;
    UT_ASSERT_EQ(helper_start(helper_park, HELPER_PRIORITY, &helper), PV_OK);
    UT_CHECK_EQ(pv_interrupt_control(SPARE_IRQ, pv_thread_self()), PV_OK);
    UT_CHECK_EQ(pv_interrupt_control(SPARE_IRQ, helper), PV_ERR_BUSY);
    UT_CHECK_EQ(pv_interrupt_control(SPARE_IRQ, PV_NIL_THREAD), PV_OK);
    UT_CHECK_EQ(pv_interrupt_control(SPARE_IRQ, helper), PV_OK);
    UT_CHECK_EQ(pv_interrupt_control(SPARE_IRQ, pv_thread_self()), PV_ERR_BUSY);
    UT_CHECK_EQ(pv_interrupt_control(SPARE_IRQ, PV_NIL_THREAD), PV_OK);
    UT_CHECK_EQ(helper_delete(helper), PV_OK);
}
