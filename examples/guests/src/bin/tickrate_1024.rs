//! Guest image of `examples/tickrate` built with the defines of `tickrate_1024`
//! (see `examples/guests/build.rs`).
#![no_std]
#![no_main]

use port as _;
