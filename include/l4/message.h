/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * l4/message.h: L4 message registers over the ucvisor UTCB.
 *
 * Message registers are numbered as in the ucvisor ABI, not as in OKL4: MR0
 * is the first untyped word, MR1 the second, ... MR63 the 64th, and MRi is
 * the calling thread's UTCB word pv_utcb()->mr[i], the word the kernel sends
 * and receives as message word i. The tag is not a message register: it is
 * kept beside them (L4_MsgTag / L4_Set_MsgTag, UTCB word
 * user_defined[L4_PV_TAG_SLOT]) and travels in its own register. So an IPC of
 * l4/ipc.h sends straight from the MRs and receives straight into them
 * (pv_ipc_utcb): no message is copied.
 *
 * Porting OKL4 code: OKL4's MR0 is the tag and its MR1..MRu the words, so
 * L4_LoadMR(0, tag.raw) becomes L4_Set_MsgTag(tag), and L4_LoadMR(i, w) /
 * L4_StoreMR(i, &w) for a word becomes L4_LoadMR(i - 1, w) / L4_StoreMR(i - 1,
 * &w). Code that uses L4_Msg_t and its accessors (L4_MsgPut, L4_MsgWord, ...)
 * needs no change.
 *
 * Limits: at most L4_PV_MAX_U (64, PV_MAX_MESSAGE_WORDS) untyped words, no
 * typed items (string or map items do not exist in ucvisor). After an IPC,
 * MR0..MR7 beyond the received message are zero and MR8.. beyond it are
 * undefined.
 */
#ifndef L4_MESSAGE_H
#define L4_MESSAGE_H

#include "types.h"

/* Number of L4 message registers (MR0..MR63), all of them untyped words. */
#define L4_PV_NUM_MRS 64u
#define L4_PV_MAX_U L4_PV_NUM_MRS

/* UTCB user_defined[] word that holds the message tag (beside the MRs). */
#define L4_PV_TAG_SLOT 4

/* --- message registers in the UTCB ---------------------------------------------- */

/* MRi = w (untyped word i; registers beyond MR63 are ignored). */
static inline void L4_LoadMR(int i, L4_Word_t w)
{
    if ((unsigned)i < L4_PV_NUM_MRS) {
        pv_utcb()->mr[i] = w;
    }
}

static inline void L4_StoreMR(int i, L4_Word_t *w)
{
    if ((unsigned)i < L4_PV_NUM_MRS) {
        *w = pv_utcb()->mr[i];
    }
}

/* MR[i .. i+k-1] = w[0 .. k-1] (registers beyond MR63 are ignored). */
static inline void L4_LoadMRs(int i, int k, const L4_Word_t *w)
{
    int j;
    for (j = 0; j < k; j++) {
        L4_LoadMR(i + j, w[j]);
    }
}

static inline void L4_StoreMRs(int i, int k, L4_Word_t *w)
{
    int j;
    for (j = 0; j < k; j++) {
        L4_StoreMR(i + j, &w[j]);
    }
}

/* The tag (the one to send, or the one last received). */
static inline L4_MsgTag_t L4_MsgTag(void)
{
    return L4_MsgTagFromRaw(pv_utcb()->user_defined[L4_PV_TAG_SLOT]);
}

static inline void L4_Set_MsgTag(L4_MsgTag_t t)
{
    pv_utcb()->user_defined[L4_PV_TAG_SLOT] = t.raw;
}

/* --- L4_Msg_t: a message in ordinary memory ------------------------------------- */

/* The tag and the untyped words mr[0..u-1] (MR0..MRu-1): PvMessage's layout. */
typedef struct {
    L4_Word_t tag;
    L4_Word_t mr[64];
} L4_Msg_t;

static inline void L4_MsgClear(L4_Msg_t *msg)
{
    msg->tag = 0;
}

static inline L4_MsgTag_t L4_MsgMsgTag(const L4_Msg_t *msg)
{
    return L4_MsgTagFromRaw(msg->tag);
}

static inline void L4_Set_MsgMsgTag(L4_Msg_t *msg, L4_MsgTag_t t)
{
    msg->tag = t.raw;
}

static inline L4_Word_t L4_MsgLabel(const L4_Msg_t *msg)
{
    return L4_MsgTagLabel(L4_MsgMsgTag(msg));
}

static inline void L4_Set_MsgLabel(L4_Msg_t *msg, L4_Word_t label)
{
    msg->tag = L4_MsgTagAddLabel(L4_MsgMsgTag(msg), label).raw;
}

/* Appends an untyped word; a message that already has L4_PV_MAX_U words is left unchanged. */
static inline void L4_MsgAppendWord(L4_Msg_t *msg, L4_Word_t w)
{
    L4_Word_t u = L4_MsgTagU(L4_MsgMsgTag(msg));
    if (u < L4_PV_MAX_U) {
        msg->mr[u] = w;
        msg->tag = L4_MsgTagAddU(L4_MsgMsgTag(msg), u + 1).raw;
    }
}

/* Untyped word `u` (0-based, i.e. MRu). */
static inline L4_Word_t L4_MsgWord(const L4_Msg_t *msg, L4_Word_t u)
{
    return u < L4_PV_MAX_U ? msg->mr[u] : 0;
}

static inline void L4_MsgGetWord(const L4_Msg_t *msg, L4_Word_t u, L4_Word_t *w)
{
    *w = L4_MsgWord(msg, u);
}

/* Replaces untyped word `u` (which must already be part of the message). */
static inline void L4_MsgPutWord(L4_Msg_t *msg, L4_Word_t u, L4_Word_t w)
{
    if (u < L4_PV_MAX_U) {
        msg->mr[u] = w;
    }
}

/* Builds a message of `u` untyped words (at most L4_PV_MAX_U). OKL4's `t` and
 * `Items` parameters are gone: ucvisor has no typed items. */
static inline void L4_MsgPut(L4_Msg_t *msg, L4_Word_t label, int u, const L4_Word_t *Untyped)
{
    int i;
    if (u < 0) {
        u = 0;
    }
    if ((unsigned)u > L4_PV_MAX_U) {
        u = (int)L4_PV_MAX_U;
    }
    msg->tag = L4_MsgTagMake(label, (L4_Word_t)u).raw;
    for (i = 0; i < u; i++) {
        msg->mr[i] = Untyped[i];
    }
}

/* Copies the message into the tag and MR0..MRu-1, ready for an IPC. */
static inline void L4_MsgLoad(const L4_Msg_t *msg)
{
    L4_Word_t u = L4_MsgTagU(L4_MsgMsgTag(msg));
    L4_Word_t i;
    PvUtcb *utcb = pv_utcb();
    if (u > L4_PV_MAX_U) {
        u = L4_PV_MAX_U;
    }
    utcb->user_defined[L4_PV_TAG_SLOT] = msg->tag;
    for (i = 0; i < u; i++) {
        utcb->mr[i] = msg->mr[i];
    }
}

/* Copies the received message (tag `t`, words MR0..MRu-1) out of the MRs. */
static inline void L4_MsgStore(L4_MsgTag_t t, L4_Msg_t *msg)
{
    L4_Word_t u = L4_MsgTagU(t);
    L4_Word_t i;
    const PvUtcb *utcb = pv_utcb();
    if (u > L4_PV_MAX_U) {
        u = L4_PV_MAX_U;
    }
    msg->tag = t.raw;
    for (i = 0; i < u; i++) {
        msg->mr[i] = utcb->mr[i];
    }
}

#endif /* L4_MESSAGE_H */
