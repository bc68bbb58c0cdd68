//! widget/dist/: content hashes, precompressed copies, the manifest the collector embeds, and a size report.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// One file the collector serves.
pub struct Asset {
    /// File name inside dist/, which is also its URL path on the collector.
    pub path: String,
    /// Content-addressed, so it may be cached forever; false for the stable-named embed.js.
    pub immutable: bool,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
    /// Fetched only when needed (a language's words, by its readers; the stylesheet file,
    /// by browsers that cannot take it from embed.js and by the collector's plain pages),
    /// not on a first visit: left out of the widget's weight.
    pub on_demand: bool,
}

impl Asset {
    pub fn new(
        path: impl Into<String>,
        immutable: bool,
        content_type: &'static str,
        bytes: Vec<u8>,
    ) -> Self {
        Self {
            path: path.into(),
            immutable,
            content_type,
            bytes,
            on_demand: false,
        }
    }

    /// A content-addressed file fetched only by the pages that need it.
    pub fn on_demand(path: impl Into<String>, content_type: &'static str, bytes: Vec<u8>) -> Self {
        Self {
            on_demand: true,
            ..Self::new(path, true, content_type, bytes)
        }
    }
}

/// The first 10 hex digits of the SHA-256 of `parts` concatenated: enough to tell builds
/// apart, short enough to read in a network log.
pub fn short_hash(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize()[..5]
        .iter()
        .fold(String::new(), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// Replaces the contents of `dir` with `assets`, a `.br` and a `.gz` copy of each (so the
/// collector never compresses at request time), and manifest.json; then prints the sizes.
///
/// The whole directory is generated, so it is wiped first: otherwise files from older
/// builds, under older hashes, would be embedded into the collector too.
pub fn write(dir: &Path, assets: &[Asset]) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;

    let mut rows = Vec::new();
    for asset in assets {
        let gz = gzip(&asset.bytes)?;
        let br = brotli(&asset.bytes)?;
        write_file(&dir.join(&asset.path), &asset.bytes)?;
        write_file(&dir.join(format!("{}.gz", asset.path)), &gz)?;
        write_file(&dir.join(format!("{}.br", asset.path)), &br)?;
        rows.push((asset.path.as_str(), asset.bytes.len(), gz.len(), br.len()));
    }

    let manifest = Manifest {
        files: assets
            .iter()
            .map(|asset| ManifestFile {
                path: &asset.path,
                immutable: asset.immutable,
                content_type: asset.content_type,
                on_demand: asset.on_demand,
            })
            .collect(),
    };
    let mut manifest = serde_json::to_string_pretty(&manifest)?;
    manifest.push('\n');
    write_file(&dir.join("manifest.json"), manifest.as_bytes())?;

    print_sizes(dir, &rows);
    Ok(())
}

/// manifest.json: what the collector serves and how. Every listed file also has `.br` and
/// `.gz` siblings.
#[derive(Serialize)]
struct Manifest<'a> {
    files: Vec<ManifestFile<'a>>,
}

#[derive(Serialize)]
struct ManifestFile<'a> {
    path: &'a str,
    immutable: bool,
    content_type: &'a str,
    #[serde(skip_serializing_if = "is_false")]
    on_demand: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    // GzEncoder writes a zero mtime, so the output is reproducible.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// `bytes` as the `.br` copy `write` makes of every file: what a browser downloads.
pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        // The largest standard window (4 MiB) lets the wasm reuse matches from far back.
        lgwin: 22,
        size_hint: bytes.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

fn print_sizes(dir: &Path, rows: &[(&str, usize, usize, usize)]) {
    let width = rows
        .iter()
        .map(|row| row.0.len())
        .chain(["total".len()])
        .max()
        .unwrap_or(0);
    println!("\n{}:", dir.display());
    println!(
        "{:width$}  {:>10}  {:>10}  {:>10}",
        "file", "raw", "gz", "br"
    );
    let mut total = (0, 0, 0);
    for &(path, raw, gz, br) in rows {
        println!(
            "{path:width$}  {:>10}  {:>10}  {:>10}",
            kib(raw),
            kib(gz),
            kib(br)
        );
        total = (total.0 + raw, total.1 + gz, total.2 + br);
    }
    println!(
        "{:width$}  {:>10}  {:>10}  {:>10}",
        "total",
        kib(total.0),
        kib(total.1),
        kib(total.2)
    );
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_hash_is_ten_hex_digits_of_sha256() {
        // SHA-256("abc") = ba7816bf8f01cfea...
        assert_eq!(short_hash(&[b"abc"]), "ba7816bf8f");
        assert_eq!(short_hash(&[b"a", b"bc"]), "ba7816bf8f");
    }

    #[test]
    fn compressed_copies_round_trip() {
        let text = b"Have your say. ".repeat(100);
        let mut unzipped = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&gzip(&text).unwrap()[..]),
            &mut unzipped,
        )
        .unwrap();
        assert_eq!(unzipped, text);

        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(&mut &brotli(&text).unwrap()[..], &mut unbrotlied).unwrap();
        assert_eq!(unbrotlied, text);
    }
}
