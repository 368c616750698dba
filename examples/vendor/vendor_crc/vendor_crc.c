/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * vendor_crc.c — source of the stand-in vendor library. The guest build compiles
 * it into libvendor_crc.a on its own (as the vendor would have), and links the
 * archive into the guest with GuestBuild::library, like any prebuilt .a.
 */
#include "vendor_crc.h"

uint32_t vendor_crc32(const void *data, size_t length)
{
    const uint8_t *bytes = (const uint8_t *)data;
    uint32_t crc = 0xFFFFFFFFu;
    size_t i;
    int bit;

    for (i = 0u; i < length; i++) {
        crc ^= bytes[i];
        for (bit = 0; bit < 8; bit++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}
