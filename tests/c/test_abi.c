/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* test_abi.c: ABI encodings and the boot information, through paravirt.h and l4/types.h. */
#include "helpers.h"

UT_FILE(test_abi);

UT_CASE(abi_struct_sizes_match_the_abi)
{
    UT_CHECK_EQ(sizeof(PvUtcb), PV_UTCB_SIZE);
    UT_CHECK_EQ(sizeof(PvMessage), 4u + 4u * PV_MAX_MESSAGE_WORDS);
    UT_CHECK_EQ(sizeof(PvRegisters), 16u);
    UT_CHECK_EQ(sizeof(PvBootModule), 32u);
    UT_CHECK_EQ(sizeof(PvBootInfo), 13u * 4u + PV_MAX_BOOT_MODULES * 32u);
    UT_CHECK_EQ(offsetof(PvUtcb, thread_id), 4u * 64u);
}

UT_CASE(tag_encoding_matches_the_rust_const_fn)
{
    L4_MsgTag_t tag = L4_MsgTagMake(0x1234u, 5u);
    UT_CHECK_EQ(pv_tag(0x1234u, 5u), 0x12340005u);
    UT_CHECK_EQ(PV_TAG(PV_LABEL_INTERRUPT, 1u), 0xFFF00001u);
    UT_CHECK_EQ(pv_tag(1u, 0xFFu), 0x0001007Fu); /* words are masked to 7 bits */
    UT_CHECK_EQ(pv_tag_label(0xABCD0042u), 0xABCDu);
    UT_CHECK_EQ(pv_tag_words(0xABCD0042u), 0x42u);
    UT_CHECK_EQ(L4_MsgTagLabel(tag), 0x1234u);
    UT_CHECK_EQ(L4_MsgTagU(tag), 5u);
    UT_CHECK_EQ(L4_MsgTagAddU(L4_MsgTagAddLabel(L4_Niltag, 7u), 3u).raw, pv_tag(7u, 3u));
}

UT_CASE(timeouts_encoding_and_l4_time)
{
    UT_CHECK_EQ(pv_timeouts(PV_TIMEOUT_ZERO, PV_TIMEOUT_NEVER), 0x0000FFFFu);
    UT_CHECK_EQ(pv_timeouts(PV_TIMEOUT_NEVER, 20u), 0xFFFF0014u);
    UT_CHECK_EQ(PV_TIMEOUTS(0x12345u, 0x10001u), 0x23450001u); /* 16 bits each */
    UT_CHECK_EQ(L4_Timeouts(L4_Never, L4_ZeroTime), pv_timeouts(PV_TIMEOUT_NEVER, PV_TIMEOUT_ZERO));
    UT_CHECK_EQ(L4_TimePeriod(0u).raw, PV_TIMEOUT_ZERO);
    UT_CHECK_EQ(L4_TimePeriod(1u).raw, 1u);
    UT_CHECK_EQ(L4_TimePeriod(1000u).raw, 1u);
    UT_CHECK_EQ(L4_TimePeriod(1001u).raw, 2u);
    UT_CHECK_EQ(L4_TimePeriod(20000u).raw, 20u);
    UT_CHECK_EQ(L4_TimePeriod(0xFFFFFFFFFFull).raw, L4_PV_MAX_TIMEOUT_MS);
    UT_CHECK(L4_TimePeriod(0xFFFFFFFFFFull).raw != PV_TIMEOUT_NEVER);
}

UT_CASE(thread_id_helpers)
{
    L4_ThreadId_t self = L4_Myself();
    UT_CHECK(L4_IsNilThread(L4_nilthread));
    UT_CHECK(!L4_IsNilThread(L4_anythread));
    UT_CHECK_EQ(L4_anythread.raw, 0xFFFFFFFFu);
    UT_CHECK(L4_IsThreadEqual(self, L4_GlobalId(L4_ThreadNo(self), L4_Version(self))));
    UT_CHECK(L4_IsThreadNotEqual(self, L4_ThreadIdFromRaw(stale_version_of(self.raw))));
    UT_CHECK_EQ(pv_irq_thread(33u), 0x80000021u);
    UT_CHECK_EQ(L4_IrqThread(33u).raw, PV_IRQ_THREAD(33u));
    UT_CHECK(pv_is_irq_thread(pv_irq_thread(30u)));
    UT_CHECK(!pv_is_irq_thread(PV_ANY_THREAD));
    UT_CHECK(!pv_is_irq_thread(self.raw));
    UT_CHECK_EQ(PV_THREAD_ID(5u, 3u), (3u << PV_THREAD_VERSION_SHIFT) | 5u);
}

UT_CASE(boot_info_has_magic_and_abi_version)
{
    const PvBootInfo *info = pv_boot_info();
    UT_ASSERT_EQ(info->magic, PV_BOOT_INFO_MAGIC);
    UT_CHECK_EQ(info->abi_version, PV_ABI_VERSION);
    UT_CHECK(info->module_count <= PV_MAX_BOOT_MODULES);
}

UT_CASE(boot_info_describes_section_aligned_free_memory)
{
    const PvBootInfo *info = pv_boot_info();
    UT_ASSERT_EQ(info->magic, PV_BOOT_INFO_MAGIC);
    UT_CHECK_EQ(info->free_memory_base % PV_SECTION_SIZE, 0u);
    UT_CHECK_EQ(info->free_memory_size % PV_SECTION_SIZE, 0u);
    UT_CHECK(info->free_memory_size >= 2u * PV_SECTION_SIZE);
    UT_CHECK_EQ(info->uart_base % PV_SECTION_SIZE, 0u);
    UT_CHECK(info->root_image_size > 0u);
    UT_CHECK(info->root_stack_top > PV_USER_BASE && info->root_stack_top <= PV_USER_TOP);
}

UT_CASE(l4_message_registers_live_in_the_utcb)
{
    L4_Msg_t msg;
    L4_Msg_t copy;
    L4_Word_t word = 0;
    PvUtcb *utcb = pv_utcb();

    L4_MsgClear(&msg);
    L4_Set_MsgLabel(&msg, 0x42u);
    L4_MsgAppendWord(&msg, 0xA0u);
    L4_MsgAppendWord(&msg, 0xA1u);
    L4_MsgAppendWord(&msg, 0xA2u);
    UT_CHECK_EQ(L4_MsgLabel(&msg), 0x42u);
    UT_CHECK_EQ(L4_MsgTagU(L4_MsgMsgTag(&msg)), 3u);
    UT_CHECK_EQ(L4_MsgWord(&msg, 2u), 0xA2u);

    /* The ABI's numbering: MRi is UTCB word mr[i], the kernel's message word i;
     * the tag is kept beside the MRs. */
    L4_MsgLoad(&msg);
    UT_CHECK_EQ(utcb->mr[0], 0xA0u);
    UT_CHECK_EQ(utcb->mr[2], 0xA2u);
    UT_CHECK_EQ(utcb->user_defined[L4_PV_TAG_SLOT], pv_tag(0x42u, 3u));
    UT_CHECK_EQ(L4_MsgTag().raw, pv_tag(0x42u, 3u));

    L4_LoadMR(1, 0xB1u);
    UT_CHECK_EQ(utcb->mr[1], 0xB1u);
    L4_StoreMR(1, &word);
    UT_CHECK_EQ(word, 0xB1u);
    L4_MsgStore(L4_MsgTag(), &copy);
    UT_CHECK_EQ(copy.tag, pv_tag(0x42u, 3u));
    UT_CHECK_EQ(L4_MsgWord(&copy, 0u), 0xA0u);
    UT_CHECK_EQ(L4_MsgWord(&copy, 1u), 0xB1u);
    UT_CHECK_EQ(L4_MsgWord(&copy, 2u), 0xA2u);
    UT_CHECK_EQ(sizeof(L4_Msg_t), sizeof(PvMessage));
}

UT_CASE(l4_message_holds_64_words)
{
    L4_Msg_t msg;
    L4_Word_t i;
    L4_MsgClear(&msg);
    for (i = 0; i < 70u; i++) {
        L4_MsgAppendWord(&msg, i);
    }
    UT_CHECK_EQ(L4_PV_MAX_U, PV_MAX_MESSAGE_WORDS);
    UT_CHECK_EQ(L4_MsgTagU(L4_MsgMsgTag(&msg)), L4_PV_MAX_U);
    UT_CHECK_EQ(L4_MsgWord(&msg, 63u), 63u);
}
