/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * vendor_crc.h — a stand-in for third-party middleware delivered as a prebuilt
 * static library (libvendor_crc.a) with a header: CRC-32 (IEEE 802.3).
 */
#ifndef VENDOR_CRC_H
#define VENDOR_CRC_H

#include <stddef.h>
#include <stdint.h>

uint32_t vendor_crc32(const void *data, size_t length);

#endif /* VENDOR_CRC_H */
