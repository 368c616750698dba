/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * os_mem.c: fixed-size block memory partitions. Free blocks are chained
 * through their first word.
 */
#include "ucos_ii.h"

#if (OS_MEM_EN > 0u) && (OS_MAX_MEM_PART > 0u)

#define OS_NAME_UNKNOWN ((INT8U *)(void *)"?")

OS_MEM *OSMemCreate(void *addr, INT32U nblks, INT32U blksize, INT8U *perr)
{
    OS_MEM *pmem;
    INT8U *pblk;
    void **plink;
    INT32U i;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#ifdef OS_SAFETY_CRITICAL_IEC61508
    if (OSSafetyCriticalStartFlag == OS_TRUE) {
        *perr = OS_ERR_ILLEGAL_CREATE_RUN_TIME;
        return (OS_MEM *)0;
    }
#endif
#if OS_ARG_CHK_EN > 0u
    if (addr == (void *)0) {
        *perr = OS_ERR_MEM_INVALID_ADDR;
        return (OS_MEM *)0;
    }
    if (((unsigned long)addr & ((unsigned long)sizeof(void *) - 1uL)) != 0uL) {
        *perr = OS_ERR_MEM_INVALID_ADDR; /* blocks must hold an aligned link pointer */
        return (OS_MEM *)0;
    }
    if (nblks < 2u) {
        *perr = OS_ERR_MEM_INVALID_BLKS;
        return (OS_MEM *)0;
    }
    if (blksize < (INT32U)sizeof(void *)) {
        *perr = OS_ERR_MEM_INVALID_SIZE;
        return (OS_MEM *)0;
    }
#endif
    OS_ENTER_CRITICAL();
    pmem = OSMemFreeList;
    if (pmem != (OS_MEM *)0) {
        OSMemFreeList = (OS_MEM *)OSMemFreeList->OSMemFreeList;
    }
    OS_EXIT_CRITICAL();
    if (pmem == (OS_MEM *)0) {
        *perr = OS_ERR_MEM_INVALID_PART;
        return (OS_MEM *)0;
    }

    /* Chain every block to the next one; the last one ends the list. */
    pblk = (INT8U *)addr;
    for (i = 0u; i < nblks - 1u; i++) {
        plink = (void **)(void *)pblk;
        pblk += blksize;
        *plink = (void *)pblk;
    }
    *(void **)(void *)pblk = (void *)0;

    pmem->OSMemAddr = addr;
    pmem->OSMemFreeList = addr;
    pmem->OSMemNFree = nblks;
    pmem->OSMemNBlks = nblks;
    pmem->OSMemBlkSize = blksize;
    OS_TRACE_MEM_CREATE(pmem);
    *perr = OS_ERR_NONE;
    return pmem;
}

void *OSMemGet(OS_MEM *pmem, INT8U *perr)
{
    void *pblk;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pmem == (OS_MEM *)0) {
        *perr = OS_ERR_MEM_INVALID_PMEM;
        return (void *)0;
    }
#endif
    OS_ENTER_CRITICAL();
    if (pmem->OSMemNFree == 0u) {
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_MEM_NO_FREE_BLKS;
        return (void *)0;
    }
    pblk = pmem->OSMemFreeList;
    pmem->OSMemFreeList = *(void **)pblk;
    pmem->OSMemNFree--;
    OS_TRACE_MEM_GET(pmem);
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
    return pblk;
}

#if OS_MEM_NAME_EN > 0u
INT8U OSMemNameGet(OS_MEM *pmem, INT8U **pname, INT8U *perr)
{
    INT8U len;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pmem == (OS_MEM *)0) {
        *perr = OS_ERR_MEM_INVALID_PMEM;
        return 0u;
    }
    if (pname == (INT8U **)0) {
        *perr = OS_ERR_PNAME_NULL;
        return 0u;
    }
#endif
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_NAME_GET_ISR;
        return 0u;
    }
    OS_ENTER_CRITICAL();
    *pname = pmem->OSMemName;
    len = OS_StrLen(*pname);
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
    return len;
}

void OSMemNameSet(OS_MEM *pmem, INT8U *pname, INT8U *perr)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pmem == (OS_MEM *)0) {
        *perr = OS_ERR_MEM_INVALID_PMEM;
        return;
    }
    if (pname == (INT8U *)0) {
        *perr = OS_ERR_PNAME_NULL;
        return;
    }
#endif
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_NAME_SET_ISR;
        return;
    }
    OS_ENTER_CRITICAL();
    pmem->OSMemName = pname;
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
}
#endif

INT8U OSMemPut(OS_MEM *pmem, void *pblk)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pmem == (OS_MEM *)0) {
        return OS_ERR_MEM_INVALID_PMEM;
    }
    if (pblk == (void *)0) {
        return OS_ERR_MEM_INVALID_PBLK;
    }
#endif
    OS_ENTER_CRITICAL();
    if (pmem->OSMemNFree >= pmem->OSMemNBlks) {
        OS_EXIT_CRITICAL();
        return OS_ERR_MEM_FULL;
    }
    *(void **)pblk = pmem->OSMemFreeList;
    pmem->OSMemFreeList = pblk;
    pmem->OSMemNFree++;
    OS_TRACE_MEM_PUT(pmem);
    OS_EXIT_CRITICAL();
    return OS_ERR_NONE;
}

#if OS_MEM_QUERY_EN > 0u
INT8U OSMemQuery(OS_MEM *pmem, OS_MEM_DATA *p_mem_data)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pmem == (OS_MEM *)0) {
        return OS_ERR_MEM_INVALID_PMEM;
    }
    if (p_mem_data == (OS_MEM_DATA *)0) {
        return OS_ERR_MEM_INVALID_PDATA;
    }
#endif
    OS_ENTER_CRITICAL();
    p_mem_data->OSAddr = pmem->OSMemAddr;
    p_mem_data->OSFreeList = pmem->OSMemFreeList;
    p_mem_data->OSBlkSize = pmem->OSMemBlkSize;
    p_mem_data->OSNBlks = pmem->OSMemNBlks;
    p_mem_data->OSNFree = pmem->OSMemNFree;
    OS_EXIT_CRITICAL();
    p_mem_data->OSNUsed = p_mem_data->OSNBlks - p_mem_data->OSNFree;
    return OS_ERR_NONE;
}
#endif

void OS_MemInit(void)
{
    INT16U i;

    OS_MemClr((INT8U *)&OSMemTbl[0], (INT16U)sizeof(OSMemTbl));
    for (i = 0u; i < OS_MAX_MEM_PART; i++) {
        OSMemTbl[i].OSMemFreeList = (i + 1u < OS_MAX_MEM_PART) ? (void *)&OSMemTbl[i + 1u] : (void *)0;
#if OS_MEM_NAME_EN > 0u
        OSMemTbl[i].OSMemName = OS_NAME_UNKNOWN;
#endif
    }
    OSMemFreeList = &OSMemTbl[0];
}

#endif /* OS_MEM_EN */
