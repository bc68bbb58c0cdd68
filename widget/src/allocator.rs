//! The wasm build's memory allocator: talc instead of Rust's default dlmalloc.

// dlmalloc is about 7 kB of the wasm; talc, with resizing in place turned off (a
// reallocation copies instead), is a fraction of that, and the widget's allocations are
// few and small enough that the copies do not show.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
