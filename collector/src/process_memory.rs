//! How the process asks the C allocator (glibc's malloc) to hold its memory, so that
//! what a closed database or a long read freed can go back to the system.
//!
//! A collector idle on a million stored responses holds its store's page table (about
//! 44 MB of small allocations) and little else. With glibc's defaults it held about
//! 75 MiB (`VmRSS`) after its start-up count: large buffers that glibc, having seen one
//! freed, put in its heap instead of a mapping of their own left free pages pinned
//! between live ones when the store reopened. With the setting below: 58-61 MiB.
//! Elsewhere (musl, macOS) these are no-ops.
//!
//! What it costs: on a store of a million responses, about 12 % more CPU per durable
//! submission (121-125 µs without it, 134-145 µs with it, in the ingest benchmark);
//! none measurable on a new store. A threshold of 1 MiB instead of 128 KiB held 65-67
//! MiB idle, over the aim of 64 MB. README tells operators how to opt out.
//!
//! Measured and not kept: one arena for every thread (`M_ARENA_MAX` 1) saved another
//! 2-3 MiB but cost durable ingest 40 % of its speed (8,704 submissions/s in the ingest
//! benchmark, against 14,383 without it): the threads then queue for the arena's lock.

/// The environment variables through which an operator tunes glibc's malloc: when one
/// is set, [`hold_memory_compactly`] leaves glibc as the operator set it.
const OPERATOR_TUNING: [&str; 2] = ["GLIBC_TUNABLES", "MALLOC_MMAP_THRESHOLD_"];

/// Sets how glibc lays out memory, unless the operator tunes it ([`OPERATOR_TUNING`]):
/// the threshold above which glibc maps an allocation of its own stays at 128 KiB
/// (glibc otherwise raises it, up to 32 MiB, each time such a mapping is freed), so
/// large buffers are mapped and unmapped rather than left in the heap.
///
/// # Safety
///
/// Call it before any other thread starts: glibc's `mallopt` is not safe to call while
/// other threads allocate.
pub unsafe fn hold_memory_compactly() {
    if OPERATOR_TUNING
        .iter()
        .any(|name| std::env::var_os(name).is_some())
    {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` changes only glibc's tuning; the caller guarantees that no other
    // thread exists yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// Hands the memory the allocator holds free back to the system: glibc keeps what was
/// freed for the process to use again, so the memory of a closed database would stay
/// the process's (measured: 200 MB where it had 60 MB after opening).
pub fn return_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only returns free memory to the system, and may be called
    // from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
