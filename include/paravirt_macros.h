/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * paravirt_macros.h: hand-written companions of the generated paravirt.h.
 *
 * paravirt-api writes a few helpers as Rust `const fn`s (pv_tag, pv_timeouts,
 * pv_irq_thread), which cbindgen cannot translate. This header provides them
 * under the same names as static inline functions, plus macro forms usable in
 * constant expressions, plus small accessors for thread IDs, tags and the boot
 * information. Keep it in step with paravirt-api/src/lib.rs; the C unit tests
 * (tests/c/test_abi.c) check the encodings.
 */
#ifndef PARAVIRT_MACROS_H
#define PARAVIRT_MACROS_H

#include "paravirt.h"

/* --- constant-expression forms -------------------------------------------- */

/* Message tag from a 16-bit label and a word count (Rust: pv_tag). */
#define PV_TAG(label, words) \
    ((((uint32_t)(label)) << PV_TAG_LABEL_SHIFT) | (((uint32_t)(words)) & PV_TAG_WORDS_MASK))
/* Label (bits 16..31) and word count (bits 0..6) of a tag. */
#define PV_TAG_LABEL(tag) (((uint32_t)(tag)) >> PV_TAG_LABEL_SHIFT)
#define PV_TAG_WORDS(tag) (((uint32_t)(tag)) & PV_TAG_WORDS_MASK)

/* Packed send/receive timeouts, each in ms or PV_TIMEOUT_ZERO/NEVER (Rust: pv_timeouts). */
#define PV_TIMEOUTS(send, receive) \
    (((((uint32_t)(send)) & 0xFFFFu) << 16) | (((uint32_t)(receive)) & 0xFFFFu))

/* Interrupt pseudo-thread of `irq` (Rust: pv_irq_thread). */
#define PV_IRQ_THREAD(irq) ((uint32_t)PV_IRQ_THREAD_BASE | (uint32_t)(irq))

/* Thread ID fields: index in bits 0..11, version above. */
#define PV_THREAD_INDEX(id) (((uint32_t)(id)) & PV_THREAD_INDEX_MASK)
#define PV_THREAD_VERSION(id) (((uint32_t)(id)) >> PV_THREAD_VERSION_SHIFT)
#define PV_THREAD_ID(index, version) \
    ((((uint32_t)(version)) << PV_THREAD_VERSION_SHIFT) | (((uint32_t)(index)) & PV_THREAD_INDEX_MASK))

/* --- the Rust const fns, same names --------------------------------------- */

static inline uint32_t pv_tag(uint32_t label, uint32_t words)
{
    return PV_TAG(label, words);
}

static inline uint32_t pv_timeouts(uint32_t send, uint32_t receive)
{
    return PV_TIMEOUTS(send, receive);
}

static inline PvThreadId pv_irq_thread(uint32_t irq)
{
    return PV_IRQ_THREAD(irq);
}

/* --- accessors -------------------------------------------------------------- */

static inline uint32_t pv_tag_label(uint32_t tag)
{
    return PV_TAG_LABEL(tag);
}

static inline uint32_t pv_tag_words(uint32_t tag)
{
    return PV_TAG_WORDS(tag);
}

static inline uint32_t pv_thread_index(PvThreadId id)
{
    return PV_THREAD_INDEX(id);
}

static inline uint32_t pv_thread_version(PvThreadId id)
{
    return PV_THREAD_VERSION(id);
}

/* Is `id` an interrupt pseudo-thread (PV_IRQ_THREAD_BASE | irq)? Excludes PV_ANY_THREAD. */
static inline int pv_is_irq_thread(PvThreadId id)
{
    return id != (uint32_t)PV_ANY_THREAD && (id & (uint32_t)PV_IRQ_THREAD_BASE) != 0;
}

/* The boot information (root task only: mapped read-only at PV_BOOT_INFO_ADDRESS). */
static inline const PvBootInfo *pv_boot_info(void)
{
    return (const PvBootInfo *)(uintptr_t)PV_BOOT_INFO_ADDRESS;
}

/* pv_debug_write for C strings of known length (the ABI takes bytes). */
static inline uint32_t pv_debug_write_chars(const char *text, uint32_t length)
{
    return pv_debug_write((const char *)text, length);
}

#endif /* PARAVIRT_MACROS_H */
