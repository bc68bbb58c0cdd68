//! How the process asks the C allocator (glibc's malloc) to hold its memory, so that
//! what a closed database or a long read freed can go back to the system.
//!
//! A collector idle on a million stored responses holds its store's page table (about 44 MB
//! of small allocations) and little else. With glibc's defaults it held 73 MB: another
//! arena per busy thread, and large buffers that glibc, having seen one freed, puts in
//! an arena instead of a mapping of their own, each leaving free pages pinned between
//! live ones. Both settings below took it to 63 MB (measured with `GLIBC_TUNABLES`).
//! Elsewhere (musl, macOS) these are no-ops.

/// Sets how glibc lays out memory: call first thing, before any thread starts.
///
/// - One arena for every thread: the small allocations of a request are served from each
///   thread's own cache without a lock, so one arena costs little on two cores, and the
///   memory a thread frees is there for any other, not kept in that thread's arena.
/// - Allocations of 128 KiB or more each get a mapping of their own, always (glibc
///   otherwise raises that threshold once such a mapping is freed): freeing one hands
///   its memory straight back.
pub fn hold_memory_compactly() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` changes only glibc's tuning; it is called before any other
    // thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
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
