/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * iguana/memsection.h: Iguana-style memory sections, for the root task.
 *
 * Iguana's memsection_create(size, &base) asks the Iguana server to find
 * virtual space and physical memory. In ucvisor the root server does that
 * over IPC (memsection_create_from below); the other calls here map directly
 * on the kernel's map/unmap calls, which only root-space threads may make: the caller
 * names the space, the virtual base, and physical memory it owns (for the root
 * task: from PvBootInfo's free memory, or the UART section). Everything is in
 * whole 1 MiB sections (PV_SECTION_SIZE).
 *
 * Returns: memsection_ref_t functions give 0 on failure; int functions give the
 * PV_ERR_* code (PV_OK = 0 on success). L4_ErrorCode() holds the last code.
 */
#ifndef IGUANA_MEMSECTION_H
#define IGUANA_MEMSECTION_H

#include "../l4/types.h"

/* A memory section reference: here its virtual base address (never 0). */
typedef uintptr_t memsection_ref_t;

/* Rights (PV_MAP_*). */
#define MEM_READ PV_MAP_READ
#define MEM_WRITE PV_MAP_WRITE
#define MEM_EXECUTE PV_MAP_EXECUTE
#define MEM_DEVICE PV_MAP_DEVICE
#define MEM_RW (PV_MAP_READ | PV_MAP_WRITE)
#define MEM_RWX (PV_MAP_READ | PV_MAP_WRITE | PV_MAP_EXECUTE)

/* Maps `size` bytes of physical memory at `physical` to `base` in `space`. (Kernel call.) */
static inline int memsection_map(L4_Word_t space, uintptr_t base, uintptr_t physical, uintptr_t size,
                                 L4_Word_t rights)
{
    return (int)L4_PvSetErrorCode(pv_map(space, (uint32_t)base, (uint32_t)physical, (uint32_t)size, rights));
}

/* Unmaps `size` bytes at `base` in `space`. (Kernel call.) */
static inline int memsection_unmap(L4_Word_t space, uintptr_t base, uintptr_t size)
{
    return (int)L4_PvSetErrorCode(pv_unmap(space, (uint32_t)base, (uint32_t)size));
}

/* A memsection at a fixed virtual `base` in `space`, backed by `physical`.
 * (Kernel call; Iguana's allocating memsection_create moves to root-server IPC.) */
static inline memsection_ref_t memsection_create_at(L4_Word_t space, uintptr_t base, uintptr_t physical,
                                                    uintptr_t size, L4_Word_t rights)
{
    return memsection_map(space, base, physical, size, rights) == PV_OK ? base : 0;
}

static inline int memsection_delete_at(L4_Word_t space, memsection_ref_t memsection, uintptr_t size)
{
    return memsection_unmap(space, memsection, size);
}

/* Iguana's allocating memsection_create, served by the root server over IPC
 * (PV_ROOT_MEMSECTION_CREATE): a zeroed read/write section of `size` bytes in
 * the caller's space, for any thread that knows the root server (guests learn
 * it from their PV_LABEL_STARTUP message). Returns the base, 0 on failure. */
static inline memsection_ref_t memsection_create_from(L4_ThreadId_t root_server, uintptr_t size, uintptr_t *base)
{
    uint32_t address = 0;
    if (L4_PvSetErrorCode(pv_memsection_create(root_server.raw, (uint32_t)size, &address)) != PV_OK) {
        return 0;
    }
    if (base != NULL) {
        *base = address;
    }
    return address;
}

static inline void *memsection_base(memsection_ref_t memsection)
{
    return (void *)memsection;
}

#endif /* IGUANA_MEMSECTION_H */
