/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* test_syscall.c: system-call entry, debug output, identity and clock. */
#include "helpers.h"

UT_FILE(test_syscall);

static uint32_t raw_syscall_r0(uint32_t number)
{
    uint32_t registers[12] = { 0 };
    pv_raw_syscall(number, &registers);
    return registers[0];
}

UT_CASE(unknown_syscall_numbers_are_rejected)
{
    UT_CHECK_EQ(raw_syscall_r0(200u), PV_ERR_INVALID_SYSCALL);
    UT_CHECK_EQ(raw_syscall_r0(PV_SYS_COUNT), PV_ERR_INVALID_SYSCALL);
    UT_CHECK_EQ(raw_syscall_r0(0u), PV_ERR_INVALID_SYSCALL);
    UT_CHECK_EQ(raw_syscall_r0(0xFFFFFFFFu), PV_ERR_INVALID_SYSCALL);
}

UT_CASE(raw_syscall_reaches_a_real_call)
{
    uint32_t registers[12] = { 0 };
    pv_raw_syscall(PV_SYS_THREAD_SELF, &registers);
    UT_CHECK_EQ(registers[0], PV_OK);
    UT_CHECK_EQ(registers[1], pv_thread_self());
    UT_CHECK_EQ(registers[2], own_space());
}

UT_CASE(debug_write_of_zero_bytes_is_ok)
{
    UT_CHECK_EQ(pv_debug_write_chars("", 0u), PV_OK);
    UT_CHECK_EQ(pv_debug_write(NULL, 0u), PV_OK);
}

UT_CASE(debug_write_of_the_maximum_length_is_ok)
{
    char line[PV_DEBUG_WRITE_MAX];
    uint32_t i;
    for (i = 0; i < PV_DEBUG_WRITE_MAX - 1u; i++) {
        line[i] = (char)('a' + i % 26u);
    }
    line[PV_DEBUG_WRITE_MAX - 1u] = '\n';
    UT_CHECK_EQ(pv_debug_write_chars(line, PV_DEBUG_WRITE_MAX), PV_OK);
}

UT_CASE(debug_write_longer_than_the_maximum_is_too_long)
{
    static const char text[PV_DEBUG_WRITE_MAX + 1u] = { 'x' };
    UT_CHECK_EQ(pv_debug_write_chars(text, PV_DEBUG_WRITE_MAX + 1u), PV_ERR_TOO_LONG);
    UT_CHECK_EQ(pv_debug_write_chars(text, 0xFFFFFFFFu), PV_ERR_TOO_LONG);
}

UT_CASE(debug_write_from_null_is_a_bad_address)
{
    UT_CHECK_EQ(pv_debug_write(NULL, 4u), PV_ERR_BAD_ADDRESS);
}

UT_CASE(debug_write_from_kernel_memory_is_a_bad_address)
{
    UT_CHECK_EQ(pv_debug_write((const char *)(uintptr_t)0x40000000u, 4u), PV_ERR_BAD_ADDRESS);
    UT_CHECK_EQ(pv_debug_write((const char *)(uintptr_t)0xFFFFFF00u, 16u), PV_ERR_BAD_ADDRESS);
}

UT_CASE(debug_write_crossing_the_user_top_is_a_bad_address)
{
    UT_CHECK_EQ(pv_debug_write((const char *)(uintptr_t)(PV_USER_TOP - 1u), 16u), PV_ERR_BAD_ADDRESS);
}

UT_CASE(thread_self_matches_the_utcb)
{
    PvThreadId self = pv_thread_self();
    UT_CHECK(self != PV_NIL_THREAD);
    UT_CHECK(self != (PvThreadId)PV_ANY_THREAD);
    UT_CHECK(!pv_is_irq_thread(self));
    UT_CHECK(pv_thread_index(self) != 0u);
    UT_CHECK_EQ(pv_utcb()->thread_id, self);
    UT_CHECK_EQ(L4_Myself().raw, self);
}

UT_CASE(utcb_is_at_its_documented_address)
{
    uint32_t registers[12] = { 0 };
    uintptr_t expected = PV_UTCB_AREA + pv_thread_index(pv_thread_self()) * PV_UTCB_SIZE;
    UT_CHECK_EQ((uintptr_t)pv_utcb(), expected);
    pv_raw_syscall(PV_SYS_THREAD_SELF, &registers);
    UT_CHECK_EQ(registers[3], expected);
    UT_CHECK_EQ(pv_utcb()->space_id, registers[2]);
}

UT_CASE(system_clock_never_goes_backwards)
{
    uint64_t previous = pv_system_clock();
    uint64_t first = previous;
    unsigned i;
    for (i = 0; i < 1000u; i++) {
        uint64_t now = pv_system_clock();
        if (now < previous) {
            UT_CHECK_EQ(now, previous);
            break;
        }
        previous = now;
    }
    UT_CHECK(L4_SystemClock().raw >= first);
    UT_CHECK(first > 0u);
}

UT_CASE(kdebug_prints_strings)
{
    L4_KDB_PrintString("kdebug: hello from L4_KDB_PrintString");
    L4_KDB_PrintChar('\n');
    UT_CHECK_EQ(L4_KDB_Write("kdebug: write\n", 14u), PV_OK);
    UT_CHECK_EQ(L4_KDB_Write(NULL, 1u), PV_ERR_BAD_ADDRESS);
}

UT_CASE(context_resume_from_a_bad_frame_returns_and_changes_nothing)
{
    static uint32_t words[17];
    /* One word past an aligned frame: unaligned, so refused. */
    const PvContextFrame *unaligned = (const PvContextFrame *)((uintptr_t)words + 2u);
    UT_CHECK_EQ(sizeof(PvContextFrame), PV_CONTEXT_FRAME_SIZE);
    UT_CHECK_EQ(pv_context_resume(NULL), PV_ERR_BAD_ADDRESS);
    UT_CHECK_EQ(pv_context_resume(unaligned), PV_ERR_BAD_ADDRESS);
    UT_CHECK_EQ(pv_context_resume((const PvContextFrame *)0x40000000u), PV_ERR_BAD_ADDRESS);
}
