/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* test_space.c: address spaces and mappings (pv_space_*, pv_map, pv_unmap, iguana memsections). */
#include "helpers.h"

UT_FILE(test_space);

#define MAP_RW (PV_MAP_READ | PV_MAP_WRITE)
#define TEST_VIRTUAL 0x00400000u /* a free user address in a new, empty space */

static uint32_t free_section(void)
{
    return pv_boot_info()->free_memory_base;
}

/* Does [virt, virt + size) overlap the root task's image or its stack? */
static int overlaps_root(uint32_t virt, uint32_t size)
{
    const PvBootInfo *info = pv_boot_info();
    uint32_t stack_bottom = info->root_stack_top - PV_SECTION_SIZE;
    int image = virt < info->root_image_virtual + info->root_image_size && info->root_image_virtual < virt + size;
    int stack = virt < info->root_stack_top && stack_bottom < virt + size;
    return image || stack;
}

UT_CASE(space_create_and_delete)
{
    uint32_t space = UNKNOWN_SPACE;
    UT_ASSERT_EQ(pv_space_create(&space), PV_OK);
    UT_CHECK(space != own_space());
    UT_CHECK(space != UNKNOWN_SPACE);
    UT_CHECK_EQ(pv_space_delete(space), PV_OK);
    UT_CHECK_EQ(pv_space_delete(space), PV_ERR_INVALID_SPACE);
}

UT_CASE(space_create_gives_distinct_ids)
{
    uint32_t first = 0;
    uint32_t second = 0;
    UT_ASSERT_EQ(pd_create(&first), PV_OK);
    UT_ASSERT_EQ(pd_create(&second), PV_OK);
    UT_CHECK(first != second);
    UT_CHECK_EQ(pd_delete(first), PV_OK);
    UT_CHECK_EQ(pd_delete(second), PV_OK);
    UT_CHECK_EQ(pd_myself(), own_space());
}

UT_CASE(space_delete_of_an_unknown_space_is_invalid)
{
    UT_CHECK_EQ(pv_space_delete(UNKNOWN_SPACE), PV_ERR_INVALID_SPACE);
}

UT_CASE(space_delete_with_threads_is_busy)
{
    uint32_t space = 0;
    PvThreadId thread = PV_NIL_THREAD;
    UT_ASSERT_EQ(pv_space_create(&space), PV_OK);
    UT_ASSERT_EQ(pv_thread_create(space, PV_SPACE_DEFAULT_MAX_PRIORITY, PV_NIL_THREAD, &thread), PV_OK);
    UT_CHECK_EQ(pv_space_delete(space), PV_ERR_BUSY);
    UT_CHECK_EQ(pv_thread_delete(thread), PV_OK);
    UT_CHECK_EQ(pv_space_delete(space), PV_OK);
}

UT_CASE(a_space_ceiling_refuses_higher_threads)
{
    uint32_t space = 0;
    PvThreadId thread = PV_NIL_THREAD;
    UT_ASSERT_EQ(pv_space_create(&space), PV_OK);
    /* A new space's threads stay below the root task, whatever is asked. */
    UT_CHECK_EQ(pv_thread_create(space, ROOT_PRIORITY, PV_NIL_THREAD, &thread), PV_ERR_NO_PRIVILEGE);
    UT_CHECK_EQ(pv_space_configure(space, 1u << space, 40u, 0u), PV_OK);
    UT_CHECK_EQ(pv_thread_create(space, 41u, PV_NIL_THREAD, &thread), PV_ERR_NO_PRIVILEGE);
    UT_ASSERT_EQ(pv_thread_create(space, 40u, PV_NIL_THREAD, &thread), PV_OK);
    UT_CHECK_EQ(pv_set_priority(thread, 41u), PV_ERR_NO_PRIVILEGE);
    UT_CHECK_EQ(pv_space_configure(space, 1u << space, 39u, 0u), PV_ERR_BUSY);
    UT_CHECK_EQ(pv_space_configure(space, 1u << space, 40u, 0x80u), PV_ERR_INVALID_ARGUMENT);
    UT_CHECK_EQ(pv_thread_delete(thread), PV_OK);
    UT_CHECK_EQ(pv_space_delete(space), PV_OK);
}

UT_CASE(map_requires_page_alignment)
{
    uint32_t space = 0;
    UT_ASSERT_EQ(pv_space_create(&space), PV_OK);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL + 0x800u, free_section(), PV_SECTION_SIZE, MAP_RW),
                PV_ERR_INVALID_ARGUMENT);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL, free_section() + 0x800u, PV_SECTION_SIZE, MAP_RW),
                PV_ERR_INVALID_ARGUMENT);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL, free_section(), 0x800u, MAP_RW), PV_ERR_INVALID_ARGUMENT);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL, free_section(), 0u, MAP_RW), PV_ERR_INVALID_ARGUMENT);
    /* Pages are the granule: one page beside a section, unmapped page by page. */
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL + 0x1000u, free_section() + 0x1000u, 2u * PV_PAGE_SIZE, MAP_RW), PV_OK);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL + 0x2000u, free_section(), PV_PAGE_SIZE, MAP_RW), PV_ERR_ALREADY_MAPPED);
    UT_CHECK_EQ(pv_unmap(space, TEST_VIRTUAL + 0x2000u, PV_PAGE_SIZE), PV_OK);
    UT_CHECK_EQ(pv_unmap(space, TEST_VIRTUAL + 0x1000u, 2u * PV_PAGE_SIZE), PV_ERR_NOT_MAPPED);
    UT_CHECK_EQ(pv_unmap(space, TEST_VIRTUAL + 0x1000u, PV_PAGE_SIZE), PV_OK);
    UT_CHECK_EQ(pv_space_delete(space), PV_OK);
}

UT_CASE(map_outside_the_user_range_is_a_bad_address)
{
    uint32_t space = 0;
    UT_ASSERT_EQ(pv_space_create(&space), PV_OK);
    UT_CHECK_EQ(pv_map(space, 0u, free_section(), PV_SECTION_SIZE, MAP_RW), PV_ERR_BAD_ADDRESS);
    UT_CHECK_EQ(pv_map(space, PV_USER_TOP, free_section(), PV_SECTION_SIZE, MAP_RW), PV_ERR_BAD_ADDRESS);
    UT_CHECK_EQ(pv_map(space, 0xFFF00000u, free_section(), PV_SECTION_SIZE, MAP_RW), PV_ERR_BAD_ADDRESS);
    UT_CHECK_EQ(pv_map(space, PV_USER_TOP - PV_SECTION_SIZE, free_section(), 2u * PV_SECTION_SIZE, MAP_RW),
                PV_ERR_BAD_ADDRESS);
    UT_CHECK_EQ(pv_map(space, PV_UTCB_AREA, free_section(), PV_SECTION_SIZE, MAP_RW), PV_ERR_BAD_ADDRESS);
    UT_CHECK_EQ(pv_space_delete(space), PV_OK);
}

UT_CASE(map_over_the_boot_info_is_a_bad_address)
{
    UT_CHECK_EQ(pv_map(own_space(), PV_BOOT_INFO_ADDRESS, free_section(), PV_SECTION_SIZE, PV_MAP_READ),
                PV_ERR_BAD_ADDRESS);
    UT_CHECK_EQ(pv_boot_info()->magic, PV_BOOT_INFO_MAGIC);
}

UT_CASE(map_of_kernel_or_device_memory_is_a_bad_address)
{
    uint32_t space = 0;
    UT_ASSERT_EQ(pv_space_create(&space), PV_OK);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL, 0x40000000u, PV_SECTION_SIZE, MAP_RW), PV_ERR_BAD_ADDRESS);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL, 0xF0000000u, PV_SECTION_SIZE, MAP_RW), PV_ERR_BAD_ADDRESS);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL, 0x08000000u, PV_SECTION_SIZE, MAP_RW | PV_MAP_DEVICE),
                PV_ERR_BAD_ADDRESS);
    UT_CHECK_EQ(pv_space_delete(space), PV_OK);
}

UT_CASE(map_of_the_uart_page_is_allowed_but_not_its_section_nor_fw_cfg)
{
    uint32_t space = 0;
    UT_ASSERT_EQ(pv_space_create(&space), PV_OK);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL, pv_boot_info()->uart_base, PV_SECTION_SIZE, MAP_RW | PV_MAP_DEVICE),
                PV_ERR_BAD_ADDRESS);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL, 0x09020000u, PV_PAGE_SIZE, MAP_RW | PV_MAP_DEVICE), PV_ERR_NO_PRIVILEGE);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL, pv_boot_info()->uart_base, PV_PAGE_SIZE, MAP_RW | PV_MAP_DEVICE), PV_OK);
    UT_CHECK_EQ(pv_unmap(space, TEST_VIRTUAL, PV_PAGE_SIZE), PV_OK);
    UT_CHECK_EQ(pv_space_delete(space), PV_OK);
}

UT_CASE(map_with_bad_rights_is_invalid)
{
    uint32_t space = 0;
    UT_ASSERT_EQ(pv_space_create(&space), PV_OK);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL, free_section(), PV_SECTION_SIZE, 0u), PV_ERR_INVALID_ARGUMENT);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL, free_section(), PV_SECTION_SIZE, PV_MAP_READ | (1u << 4)),
                PV_ERR_INVALID_ARGUMENT);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL, free_section(), PV_SECTION_SIZE, 0x80000000u), PV_ERR_INVALID_ARGUMENT);
    UT_CHECK_EQ(pv_space_delete(space), PV_OK);
}

UT_CASE(map_twice_is_already_mapped_and_unmap_twice_is_not_mapped)
{
    uint32_t space = 0;
    UT_ASSERT_EQ(pv_space_create(&space), PV_OK);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL, free_section(), PV_SECTION_SIZE, MAP_RW), PV_OK);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL, free_section(), PV_SECTION_SIZE, MAP_RW), PV_ERR_ALREADY_MAPPED);
    UT_CHECK_EQ(pv_map(space, TEST_VIRTUAL - PV_SECTION_SIZE, free_section(), 2u * PV_SECTION_SIZE, MAP_RW),
                PV_ERR_ALREADY_MAPPED);
    UT_CHECK_EQ(pv_unmap(space, TEST_VIRTUAL, PV_SECTION_SIZE), PV_OK);
    UT_CHECK_EQ(pv_unmap(space, TEST_VIRTUAL, PV_SECTION_SIZE), PV_ERR_NOT_MAPPED);
    UT_CHECK_EQ(pv_space_delete(space), PV_OK);
}

UT_CASE(map_into_an_unknown_space_is_invalid)
{
    UT_CHECK_EQ(pv_map(UNKNOWN_SPACE, TEST_VIRTUAL, free_section(), PV_SECTION_SIZE, MAP_RW), PV_ERR_INVALID_SPACE);
    UT_CHECK_EQ(pv_unmap(UNKNOWN_SPACE, TEST_VIRTUAL, PV_SECTION_SIZE), PV_ERR_INVALID_SPACE);
}

UT_CASE(memsection_aliases_share_physical_memory)
{
    const uint32_t first = 0x30000000u;
    const uint32_t second = 0x30100000u;
    volatile uint32_t *a = (volatile uint32_t *)(uintptr_t)first;
    volatile uint32_t *b = (volatile uint32_t *)(uintptr_t)second;
    UT_ASSERT(!overlaps_root(first, 2u * PV_SECTION_SIZE));
    UT_ASSERT(memsection_create_at(own_space(), first, free_section(), PV_SECTION_SIZE, MEM_RW) == first);
    UT_ASSERT(memsection_create_at(own_space(), second, free_section(), PV_SECTION_SIZE, MEM_RW) == second);
    a[0] = 0xC0FFEE01u;
    a[PV_SECTION_SIZE / 4u - 1u] = 0x5EC71025u;
    UT_CHECK_EQ(b[0], 0xC0FFEE01u);
    UT_CHECK_EQ(b[PV_SECTION_SIZE / 4u - 1u], 0x5EC71025u);
    UT_CHECK(memsection_base(first) == (void *)(uintptr_t)first);
    UT_CHECK_EQ(memsection_create_at(own_space(), first, free_section(), PV_SECTION_SIZE, MEM_RW), 0u);
    UT_CHECK_EQ(L4_ErrorCode(), PV_ERR_ALREADY_MAPPED);
    UT_CHECK_EQ(memsection_delete_at(own_space(), first, PV_SECTION_SIZE), PV_OK);
    UT_CHECK_EQ(memsection_delete_at(own_space(), second, PV_SECTION_SIZE), PV_OK);
}
