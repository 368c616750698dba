/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * l4/ipc.h: L4 IPC over pv_ipc_utcb.
 *
 * The message to send is its tag (L4_Set_MsgTag) and MR0..MRu-1
 * (l4/message.h); a received message replaces them. Every call returns a
 * tag: L4_IpcFailed(tag) is true when the IPC failed, and then L4_ErrorCode() holds the PV_ERR_* code
 * (PV_ERR_TIMEOUT, PV_ERR_INVALID_THREAD, ..., with PV_ERR_RECEIVE_PHASE set
 * when the send phase had completed or there was none). A failed IPC also
 * leaves that error tag as L4_MsgTag().
 *
 * For a send-only IPC, the tag returned on success is L4_Niltag.
 */
#ifndef L4_IPC_H
#define L4_IPC_H

#include "types.h"
#include "message.h"

static inline L4_Bool_t L4_IpcFailed(L4_MsgTag_t t)
{
    return (t.raw & L4_PV_TAG_ERROR) != 0;
}

static inline L4_Bool_t L4_IpcSucceeded(L4_MsgTag_t t)
{
    return (t.raw & L4_PV_TAG_ERROR) == 0;
}

/* Was the error of a failed IPC in its receive phase? */
static inline L4_Bool_t L4_IpcErrorIsReceivePhase(L4_Word_t error_code)
{
    return (error_code & PV_ERR_RECEIVE_PHASE) != 0;
}

/* The generic IPC: send the tag and MR0..MRu-1 to `to` (unless nil), then
 * receive from `FromSpecifier` (a thread, L4_anythread, or nil for none) into
 * the tag and the MRs. `Timeouts` is L4_Timeouts(send, receive). `*from` (may
 * be NULL) gets the sender. The MRs are the UTCB words the kernel sends and
 * receives (pv_ipc_utcb): nothing is copied on the way. */
static inline L4_MsgTag_t L4_Ipc(L4_ThreadId_t to, L4_ThreadId_t FromSpecifier, L4_Word_t Timeouts,
                                 L4_ThreadId_t *from)
{
    PvUtcb *utcb = pv_utcb();
    /* The E flag a failed IPC left in the tag is not sent. */
    L4_Word_t tag = utcb->user_defined[L4_PV_TAG_SLOT] & ~(L4_Word_t)L4_PV_TAG_ERROR;
    PvThreadId sender = PV_NIL_THREAD;
    L4_Word_t result = pv_ipc_utcb(to.raw, FromSpecifier.raw, Timeouts, &tag, &sender);

    L4_PvSetErrorCode(result);
    if (result != PV_OK) {
        utcb->user_defined[L4_PV_TAG_SLOT] = L4_PV_TAG_ERROR;
        return L4_MsgTagFromRaw(L4_PV_TAG_ERROR);
    }
    if (FromSpecifier.raw == (L4_Word_t)PV_NIL_THREAD) {
        return L4_Niltag;
    }
    tag &= ~(L4_Word_t)L4_PV_TAG_ERROR;
    utcb->user_defined[L4_PV_TAG_SLOT] = tag;
    if (from != NULL) {
        from->raw = sender;
    }
    return L4_MsgTagFromRaw(tag);
}

/* Send, then wait for the reply from the same thread. */
static inline L4_MsgTag_t L4_Call_Timeouts(L4_ThreadId_t to, L4_Time_t SndTimeout, L4_Time_t RcvTimeout)
{
    return L4_Ipc(to, to, L4_Timeouts(SndTimeout, RcvTimeout), NULL);
}

static inline L4_MsgTag_t L4_Call(L4_ThreadId_t to)
{
    return L4_Call_Timeouts(to, L4_Never, L4_Never);
}

static inline L4_MsgTag_t L4_Send_Timeout(L4_ThreadId_t to, L4_Time_t SndTimeout)
{
    return L4_Ipc(to, L4_nilthread, L4_Timeouts(SndTimeout, L4_ZeroTime), NULL);
}

static inline L4_MsgTag_t L4_Send(L4_ThreadId_t to)
{
    return L4_Send_Timeout(to, L4_Never);
}

/* Send without waiting: fails with PV_ERR_TIMEOUT unless `to` is already receiving. */
static inline L4_MsgTag_t L4_Reply(L4_ThreadId_t to)
{
    return L4_Send_Timeout(to, L4_ZeroTime);
}

static inline L4_MsgTag_t L4_Receive_Timeout(L4_ThreadId_t from, L4_Time_t RcvTimeout)
{
    return L4_Ipc(L4_nilthread, from, L4_Timeouts(L4_ZeroTime, RcvTimeout), NULL);
}

static inline L4_MsgTag_t L4_Receive(L4_ThreadId_t from)
{
    return L4_Receive_Timeout(from, L4_Never);
}

/* Receive from any thread or interrupt. */
static inline L4_MsgTag_t L4_Wait_Timeout(L4_Time_t RcvTimeout, L4_ThreadId_t *from)
{
    return L4_Ipc(L4_nilthread, L4_anythread, L4_Timeouts(L4_ZeroTime, RcvTimeout), from);
}

static inline L4_MsgTag_t L4_Wait(L4_ThreadId_t *from)
{
    return L4_Wait_Timeout(L4_Never, from);
}

/* Reply to `to` without waiting for it, then wait for anyone (a server's loop). */
static inline L4_MsgTag_t L4_ReplyWait_Timeout(L4_ThreadId_t to, L4_Time_t RcvTimeout, L4_ThreadId_t *from)
{
    return L4_Ipc(to, L4_anythread, L4_Timeouts(L4_ZeroTime, RcvTimeout), from);
}

static inline L4_MsgTag_t L4_ReplyWait(L4_ThreadId_t to, L4_ThreadId_t *from)
{
    return L4_ReplyWait_Timeout(to, L4_Never, from);
}

#endif /* L4_IPC_H */
