/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * iguana/pd.h: Iguana-style protection domains (address spaces), for the root task.
 *
 * Kernel calls for now (root-space threads only); they move to root-server IPC
 * together with iguana/thread.h and iguana/memsection.h.
 *
 * Functions return the PV_ERR_* code (PV_OK = 0 on success); L4_ErrorCode()
 * holds the last one.
 */
#ifndef IGUANA_PD_H
#define IGUANA_PD_H

#include "../l4/types.h"

/* A protection domain: the kernel's space ID. */
typedef L4_Word_t pd_ref_t;

/* Creates an empty space; its ID goes to *pd. Returns the PV_ERR_* code. */
static inline int pd_create(pd_ref_t *pd)
{
    return (int)L4_PvSetErrorCode(pv_space_create(pd));
}

/* Deletes a space that has no threads left (PV_ERR_BUSY otherwise). */
static inline int pd_delete(pd_ref_t pd)
{
    return (int)L4_PvSetErrorCode(pv_space_delete(pd));
}

/* The caller's own space. */
static inline pd_ref_t pd_myself(void)
{
    return pv_utcb()->space_id;
}

#endif /* IGUANA_PD_H */
