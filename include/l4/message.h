/*
 * l4/message.h: L4 message registers over the ucvisor UTCB.
 *
 * The L4 view, as in OKL4: MR0 holds the message tag, MR1..MR63 the untyped
 * words. These "virtual registers" are the calling thread's UTCB words
 * pv_utcb()->mr[0..63]. The IPC functions of l4/ipc.h turn them into a
 * PvMessage for pv_ipc and write a received message back into them.
 *
 * Limits: at most L4_PV_MAX_U (63) untyped words, no typed items (string or map
 * items do not exist in ucvisor). After an IPC, MRs beyond the received message
 * are undefined (pv_ipc moves words 8.. through the same UTCB words).
 */
#ifndef L4_MESSAGE_H
#define L4_MESSAGE_H

#include "types.h"

/* Number of L4 message registers (MR0..MR63) and of untyped words they carry. */
#define L4_PV_NUM_MRS 64u
#define L4_PV_MAX_U (L4_PV_NUM_MRS - 1u)

/* --- message registers in the UTCB ---------------------------------------------- */

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

/* The tag in MR0 (the one to send, or the one last received). */
static inline L4_MsgTag_t L4_MsgTag(void)
{
    return L4_MsgTagFromRaw(pv_utcb()->mr[0]);
}

static inline void L4_Set_MsgTag(L4_MsgTag_t t)
{
    pv_utcb()->mr[0] = t.raw;
}

/* --- L4_Msg_t: a message in ordinary memory ------------------------------------- */

/* raw[0] is the tag, raw[1..u] the untyped words (OKL4 layout). */
typedef struct {
    L4_Word_t raw[64];
} L4_Msg_t;

static inline void L4_MsgClear(L4_Msg_t *msg)
{
    msg->raw[0] = 0;
}

static inline L4_MsgTag_t L4_MsgMsgTag(const L4_Msg_t *msg)
{
    return L4_MsgTagFromRaw(msg->raw[0]);
}

static inline void L4_Set_MsgMsgTag(L4_Msg_t *msg, L4_MsgTag_t t)
{
    msg->raw[0] = t.raw;
}

static inline L4_Word_t L4_MsgLabel(const L4_Msg_t *msg)
{
    return L4_MsgTagLabel(L4_MsgMsgTag(msg));
}

static inline void L4_Set_MsgLabel(L4_Msg_t *msg, L4_Word_t label)
{
    msg->raw[0] = L4_MsgTagAddLabel(L4_MsgMsgTag(msg), label).raw;
}

/* Appends an untyped word; a message that already has L4_PV_MAX_U words is left unchanged. */
static inline void L4_MsgAppendWord(L4_Msg_t *msg, L4_Word_t w)
{
    L4_Word_t u = L4_MsgTagU(L4_MsgMsgTag(msg));
    if (u < L4_PV_MAX_U) {
        msg->raw[u + 1] = w;
        msg->raw[0] = L4_MsgTagAddU(L4_MsgMsgTag(msg), u + 1).raw;
    }
}

/* Untyped word `u` (0-based, i.e. MR[u + 1]). */
static inline L4_Word_t L4_MsgWord(const L4_Msg_t *msg, L4_Word_t u)
{
    return u < L4_PV_MAX_U ? msg->raw[u + 1] : 0;
}

static inline void L4_MsgGetWord(const L4_Msg_t *msg, L4_Word_t u, L4_Word_t *w)
{
    *w = L4_MsgWord(msg, u);
}

/* Replaces untyped word `u` (which must already be part of the message). */
static inline void L4_MsgPutWord(L4_Msg_t *msg, L4_Word_t u, L4_Word_t w)
{
    if (u < L4_PV_MAX_U) {
        msg->raw[u + 1] = w;
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
    msg->raw[0] = L4_MsgTagMake(label, (L4_Word_t)u).raw;
    for (i = 0; i < u; i++) {
        msg->raw[i + 1] = Untyped[i];
    }
}

/* Copies the message into MR0..MRu, ready for an IPC. */
static inline void L4_MsgLoad(const L4_Msg_t *msg)
{
    L4_Word_t u = L4_MsgTagU(L4_MsgMsgTag(msg));
    L4_Word_t i;
    PvUtcb *utcb = pv_utcb();
    if (u > L4_PV_MAX_U) {
        u = L4_PV_MAX_U;
    }
    for (i = 0; i <= u; i++) {
        utcb->mr[i] = msg->raw[i];
    }
}

/* Copies the received message (tag `t`, words MR1..MRu) out of the MRs. */
static inline void L4_MsgStore(L4_MsgTag_t t, L4_Msg_t *msg)
{
    L4_Word_t u = L4_MsgTagU(t);
    L4_Word_t i;
    const PvUtcb *utcb = pv_utcb();
    if (u > L4_PV_MAX_U) {
        u = L4_PV_MAX_U;
    }
    msg->raw[0] = t.raw;
    for (i = 1; i <= u; i++) {
        msg->raw[i] = utcb->mr[i];
    }
}

/* --- conversion used by l4/ipc.h --------------------------------------------------- */

/* PvMessage from MR0..MRu (the E flag of the tag is not sent). Returns PV_OK, or
 * PV_ERR_TOO_LONG when MR0 asks for more than L4_PV_MAX_U words. */
static inline L4_Word_t L4_PvMessageFromMRs(PvMessage *message)
{
    const PvUtcb *utcb = pv_utcb();
    L4_Word_t tag = utcb->mr[0] & ~(L4_Word_t)L4_PV_TAG_ERROR;
    L4_Word_t u = pv_tag_words(tag);
    L4_Word_t i;
    if (u > L4_PV_MAX_U) {
        return PV_ERR_TOO_LONG;
    }
    message->tag = tag;
    for (i = 0; i < u; i++) {
        message->mr[i] = utcb->mr[i + 1];
    }
    for (; i < PV_REGISTER_WORDS; i++) {
        message->mr[i] = 0;
    }
    return PV_OK;
}

/* MR0..MRu from a received PvMessage. A message of PV_MAX_MESSAGE_WORDS (64)
 * words from a pv_* sender does not fit: it arrives as its first 63 words with
 * u = 63. Returns the tag stored in MR0. */
static inline L4_Word_t L4_PvMessageToMRs(const PvMessage *message)
{
    PvUtcb *utcb = pv_utcb();
    L4_Word_t u = pv_tag_words(message->tag);
    L4_Word_t tag = message->tag & ~(L4_Word_t)L4_PV_TAG_ERROR;
    L4_Word_t i;
    if (u > L4_PV_MAX_U) {
        u = L4_PV_MAX_U;
        tag = (tag & ~(L4_Word_t)PV_TAG_WORDS_MASK) | u;
    }
    utcb->mr[0] = tag;
    for (i = 0; i < u; i++) {
        utcb->mr[i + 1] = message->mr[i];
    }
    return tag;
}

#endif /* L4_MESSAGE_H */
