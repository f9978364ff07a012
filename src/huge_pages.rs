//! The process's allocator: the system one, with every large block (4 MiB and more) marked
//! for transparent huge pages on Linux (`madvise(MADV_HUGEPAGE)`, which matters where the
//! kernel's setting is `madvise`, as on Debian; with `always` the pages are huge anyway). A
//! whole-city run fills a few hundred MiB of fresh arrays and then reads them in no
//! particular order (node labels, arcs, the snapping grid): with 2 MiB pages it takes a 512th
//! of the page faults and far fewer TLB misses. On the synthetic street city (1M homes, 1.2M
//! nodes, walking metric) the whole process takes 0.90–0.95 of the time with them, at the
//! same peak memory (BENCHMARKS, session 14). Elsewhere, or where the kernel says `never`, it
//! is the system allocator unchanged.
//!
//! This is the binary's only unsafe code (the library forbids it): the `GlobalAlloc` impl,
//! which hands every call to [`System`], and one `madvise` over whole huge pages inside a
//! block just allocated.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};

/// The system allocator, large blocks on huge pages where the kernel allows.
pub struct HugePages;

/// A transparent huge page on x86-64 and most aarch64 kernels.
#[cfg(target_os = "linux")]
const HUGE_PAGE: usize = 2 << 20;

/// Blocks from this size are advised (they hold at least one whole huge page).
#[cfg(target_os = "linux")]
const LARGE: usize = 2 * HUGE_PAGE;

/// Ask for huge pages over the whole huge pages of the block at `p` of `size` bytes. Advice
/// only: a kernel that refuses (or has no such pages) leaves the block as it is.
#[cfg(target_os = "linux")]
fn advise(p: *mut u8, size: usize) {
    if p.is_null() || size < LARGE {
        return;
    }
    let start = (p as usize).next_multiple_of(HUGE_PAGE);
    let end = (p as usize + size) / HUGE_PAGE * HUGE_PAGE;
    if end > start {
        // SAFETY: [start, end) lies inside the block just allocated, which this process owns;
        // MADV_HUGEPAGE changes how its pages are backed, never their contents.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_p: *mut u8, _size: usize) {}

// SAFETY: every call goes to the system allocator with the caller's own arguments; the
// advice does not move, shrink or change the memory handed out.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is System's.
        let p = unsafe { System.alloc(layout) };
        advise(p, layout.size());
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.alloc_zeroed(layout) };
        advise(p, layout.size());
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        advise(p, new_size);
        p
    }
}

#[cfg(test)]
mod tests {
    /// Large blocks (the binary's tests run on this allocator) keep their contents through
    /// growth, and zeroed ones are zero.
    #[test]
    fn large_blocks_behave() {
        let mut v: Vec<u64> = (0..1_000_000).collect();
        v.extend(1_000_000..3_000_000u64);
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u64));
        let z = vec![0u32; 5_000_000];
        assert!(z.iter().all(|&x| x == 0));
        let mut s = vec![7u8; 9 << 20];
        s.truncate(10);
        s.shrink_to_fit();
        assert_eq!(s, vec![7u8; 10]);
    }
}
