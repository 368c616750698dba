//! The user-level servers of ucvisor. `root_server` is the Iguana-like root task:
//! it owns all free memory and the right to create threads and spaces, builds the
//! driver domain (`drivers`: `v_timer` and `v_serial`) and one protection domain
//! per guest in the boot image, starts each guest at its `_Start`, and then serves
//! thread, memory-section, interrupt and exit requests and guest fault reports.
#![no_std]
