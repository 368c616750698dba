/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * l4/types.h: OKL4/Iguana-era L4 type names over the ucvisor paravirt ABI.
 *
 * Thin static inline wrappers over pv_* (paravirt.h); see doc/hypercalls.md.
 * Differences from OKL4 that code must know about:
 *  - L4_Word_t is 32 bits; thread IDs are ucvisor IDs (index bits 0..11,
 *    version above), not OKL4's (thread no << 14 | version).
 *  - L4_Time_t counts milliseconds (ucvisor IPC timeouts), not OKL4's
 *    mantissa/exponent encoding; L4_TimePeriod rounds microseconds up to ms.
 *  - L4_ErrorCode() returns the PV_ERR_* code of the last failed call made
 *    through these headers (PV_ERR_RECEIVE_PHASE set for receive-phase IPC
 *    errors). It lives in the UTCB word user_defined[L4_PV_ERROR_SLOT], which
 *    these headers reserve.
 */
#ifndef L4_TYPES_H
#define L4_TYPES_H

#include "../paravirt.h"
#include "../paravirt_macros.h"

typedef uint32_t L4_Word_t;
typedef uint64_t L4_Word64_t;
typedef uint16_t L4_Word16_t;
typedef uint8_t L4_Word8_t;
/* L4's boolean is a word (0 false, nonzero true). */
typedef L4_Word_t L4_Bool_t;

/* --- thread IDs ------------------------------------------------------------- */

typedef struct {
    L4_Word_t raw;
} L4_ThreadId_t;

#define L4_nilthread ((L4_ThreadId_t){ .raw = (L4_Word_t)PV_NIL_THREAD })
#define L4_anythread ((L4_ThreadId_t){ .raw = (L4_Word_t)PV_ANY_THREAD })

static inline L4_ThreadId_t L4_ThreadIdFromRaw(L4_Word_t raw)
{
    L4_ThreadId_t id;
    id.raw = raw;
    return id;
}

/* Thread ID from index and version (OKL4: L4_GlobalId(threadno, version)). */
static inline L4_ThreadId_t L4_GlobalId(L4_Word_t threadno, L4_Word_t version)
{
    return L4_ThreadIdFromRaw(PV_THREAD_ID(threadno, version));
}

static inline L4_Word_t L4_ThreadNo(L4_ThreadId_t t)
{
    return PV_THREAD_INDEX(t.raw);
}

static inline L4_Word_t L4_Version(L4_ThreadId_t t)
{
    return PV_THREAD_VERSION(t.raw);
}

static inline L4_Bool_t L4_IsNilThread(L4_ThreadId_t t)
{
    return t.raw == (L4_Word_t)PV_NIL_THREAD;
}

static inline L4_Bool_t L4_IsThreadEqual(L4_ThreadId_t l, L4_ThreadId_t r)
{
    return l.raw == r.raw;
}

static inline L4_Bool_t L4_IsThreadNotEqual(L4_ThreadId_t l, L4_ThreadId_t r)
{
    return l.raw != r.raw;
}

/* The pseudo-thread that sends interrupt `irq` (OKL4 names it by IRQ number too). */
static inline L4_ThreadId_t L4_IrqThread(L4_Word_t irq)
{
    return L4_ThreadIdFromRaw(pv_irq_thread(irq));
}

/* --- time ------------------------------------------------------------------- */

/* IPC timeout in milliseconds: 0 = L4_ZeroTime, 0xFFFF = L4_Never, else 1..65534 ms. */
typedef struct {
    L4_Word16_t raw;
} L4_Time_t;

#define L4_Never ((L4_Time_t){ .raw = (L4_Word16_t)PV_TIMEOUT_NEVER })
#define L4_ZeroTime ((L4_Time_t){ .raw = (L4_Word16_t)PV_TIMEOUT_ZERO })
/* Longest finite timeout, in ms. */
#define L4_PV_MAX_TIMEOUT_MS 65534u

/* A relative timeout of at least `microseconds` (rounded up to whole ms; 0 is
 * L4_ZeroTime; longer than L4_PV_MAX_TIMEOUT_MS is clamped to it). */
static inline L4_Time_t L4_TimePeriod(L4_Word64_t microseconds)
{
    L4_Time_t t;
    if (microseconds >= (L4_Word64_t)L4_PV_MAX_TIMEOUT_MS * 1000u) {
        t.raw = (L4_Word16_t)L4_PV_MAX_TIMEOUT_MS;
    } else {
        t.raw = (L4_Word16_t)(((L4_Word_t)microseconds + 999u) / 1000u);
    }
    return t;
}

static inline L4_Bool_t L4_IsTimeEqual(L4_Time_t l, L4_Time_t r)
{
    return l.raw == r.raw;
}

/* Packed send and receive timeouts (L4_Ipc's Timeouts word). */
static inline L4_Word_t L4_Timeouts(L4_Time_t send, L4_Time_t receive)
{
    return pv_timeouts(send.raw, receive.raw);
}

/* System clock value, microseconds since boot. */
typedef struct {
    L4_Word64_t raw;
} L4_Clock_t;

/* --- message tags ------------------------------------------------------------- */

/* A ucvisor tag: label in bits 16..31, untyped word count u in bits 0..6.
 * The L4 layer sets L4_PV_TAG_ERROR (bit 15) in the tag an IPC returns when it
 * failed (OKL4's E flag); L4_ErrorCode() then says why. */
typedef struct {
    L4_Word_t raw;
} L4_MsgTag_t;

#define L4_PV_TAG_ERROR 0x8000u
#define L4_Niltag ((L4_MsgTag_t){ .raw = 0u })

static inline L4_MsgTag_t L4_MsgTagFromRaw(L4_Word_t raw)
{
    L4_MsgTag_t t;
    t.raw = raw;
    return t;
}

static inline L4_MsgTag_t L4_MsgTagMake(L4_Word_t label, L4_Word_t u)
{
    return L4_MsgTagFromRaw(pv_tag(label, u));
}

static inline L4_Word_t L4_MsgTagLabel(L4_MsgTag_t t)
{
    return pv_tag_label(t.raw);
}

static inline L4_Word_t L4_MsgTagU(L4_MsgTag_t t)
{
    return pv_tag_words(t.raw);
}

/* OKL4 spellings. */
static inline L4_Word_t L4_Label(L4_MsgTag_t t)
{
    return L4_MsgTagLabel(t);
}

static inline L4_Word_t L4_UntypedWords(L4_MsgTag_t t)
{
    return L4_MsgTagU(t);
}

/* Typed items do not exist in ucvisor: always 0. */
static inline L4_Word_t L4_TypedWords(L4_MsgTag_t t)
{
    (void)t;
    return 0;
}

static inline L4_MsgTag_t L4_MsgTagAddLabel(L4_MsgTag_t t, L4_Word_t label)
{
    return L4_MsgTagFromRaw((t.raw & 0xFFFFu) | (label << PV_TAG_LABEL_SHIFT));
}

static inline L4_MsgTag_t L4_MsgTagAddU(L4_MsgTag_t t, L4_Word_t u)
{
    return L4_MsgTagFromRaw((t.raw & ~(L4_Word_t)PV_TAG_WORDS_MASK) | (u & PV_TAG_WORDS_MASK));
}

static inline L4_Bool_t L4_IsMsgTagEqual(L4_MsgTag_t l, L4_MsgTag_t r)
{
    return l.raw == r.raw;
}

/* --- error code (shared by the l4 and iguana headers) ------------- */

/* UTCB user_defined[] word that holds L4_ErrorCode(). */
#define L4_PV_ERROR_SLOT 5

/* Records `code` (a PV_ERR_* value) as this thread's L4_ErrorCode(); returns it. */
static inline L4_Word_t L4_PvSetErrorCode(L4_Word_t code)
{
    pv_utcb()->user_defined[L4_PV_ERROR_SLOT] = code;
    return code;
}

/* PV_ERR_* code of the last failed call through the L4/Iguana headers (PV_OK
 * after a successful one). */
static inline L4_Word_t L4_ErrorCode(void)
{
    return pv_utcb()->user_defined[L4_PV_ERROR_SLOT];
}

#endif /* L4_TYPES_H */
