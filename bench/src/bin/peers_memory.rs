//! Memory per item of one peer, in a fresh process:
//! `peers_memory PEER N` loads N ~1 KB items (as `peers` does) and prints
//! `rss_per_item BYTES heap_per_item BYTES`: the growth of VmRSS over the
//! load, divided by N, and the growth of the bytes allocated through Rust's
//! global allocator (counted here, around the system allocator). SQLite
//! allocates with its own calls to malloc, past that counter, so for
//! dynoxide the heap figure is -1 and only RSS counts.
#![allow(missing_docs)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicI64, Ordering};

use dynamo_objects_bench::{BoxError, peer, rss_bytes};

struct Counting;

static LIVE: AtomicI64 = AtomicI64::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; the
// counter is only arithmetic on the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as i64, Ordering::Relaxed);
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as i64, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size as i64 - layout.size() as i64, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1);
    let name = args.next().ok_or("usage: peers_memory PEER N")?;
    let n: u64 = args.next().ok_or("usage: peers_memory PEER N")?.parse()?;
    let p = peer(&name)?;
    // One item first, so that the table's fixed costs fall before the reading.
    p.put(n)?;
    let (rss0, heap0) = (rss_bytes()?, LIVE.load(Ordering::Relaxed));
    p.load(n)?;
    let (rss1, heap1) = (rss_bytes()?, LIVE.load(Ordering::Relaxed));
    let heap = if name == "dynoxide" {
        -1.0
    } else {
        (heap1 - heap0) as f64 / n as f64
    };
    println!(
        "rss_per_item {:.1} heap_per_item {heap:.1}",
        (rss1 as f64 - rss0 as f64) / n as f64
    );
    std::hint::black_box(&p);
    Ok(())
}
