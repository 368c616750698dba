//! Memory management that needs no hardware: building ARMv7-A short-descriptor
//! translation tables. The arch layer only installs what is built here.

pub mod page_table;
