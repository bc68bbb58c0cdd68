//! The "Widget weight" section: what a phone downloads for the widget, against its budget.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use super::stats::{kb, thousands};

/// Everything the widget needs on a first visit, brotli-compressed, in bytes (100 kB).
const BUDGET_BROTLI: u64 = 100_000;

#[derive(Deserialize)]
struct Manifest {
    files: Vec<ManifestFile>,
}

#[derive(Deserialize)]
struct ManifestFile {
    path: String,
}

struct Sizes {
    path: String,
    raw: u64,
    gzip: u64,
    brotli: u64,
}

/// Reads widget/dist/manifest.json and the sizes of each file and its `.gz` and `.br`
/// copies, as `build-widget` left them.
pub fn section(root: &Path) -> Result<String> {
    let dist = root.join("widget/dist");
    let manifest_path = dist.join("manifest.json");
    let manifest: Manifest = serde_json::from_str(
        &fs::read_to_string(&manifest_path)
            .with_context(|| format!("reading {}", manifest_path.display()))?,
    )
    .with_context(|| format!("parsing {}", manifest_path.display()))?;

    let size = |name: String| -> Result<u64> {
        let path = dist.join(name);
        Ok(fs::metadata(&path)
            .with_context(|| format!("reading the size of {}", path.display()))?
            .len())
    };
    let mut rows = Vec::new();
    for file in manifest.files {
        rows.push(Sizes {
            raw: size(file.path.clone())?,
            gzip: size(format!("{}.gz", file.path))?,
            brotli: size(format!("{}.br", file.path))?,
            path: file.path,
        });
    }
    markdown(&rows)
}

fn markdown(rows: &[Sizes]) -> Result<String> {
    let total = |field: fn(&Sizes) -> u64| rows.iter().map(field).sum::<u64>();
    let (raw, gzip, brotli) = (total(|s| s.raw), total(|s| s.gzip), total(|s| s.brotli));

    let mut out = String::new();
    writeln!(out, "## Widget weight")?;
    writeln!(out)?;
    writeln!(
        out,
        "Every file in widget/dist/manifest.json, as `cargo xtask build-widget` writes it: \
         a first visit to a page with the widget fetches all of them, and the collector \
         serves the brotli copy to browsers that accept it (current browsers do, over \
         HTTPS). Aim: at most {} brotli in total.",
        kb(BUDGET_BROTLI)
    )?;
    writeln!(out)?;
    writeln!(out, "| file | raw | gzip | brotli |")?;
    writeln!(out, "| --- | ---: | ---: | ---: |")?;
    for row in rows {
        writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            row.path,
            kb(row.raw),
            kb(row.gzip),
            kb(row.brotli)
        )?;
    }
    writeln!(
        out,
        "| **total** | **{}** | **{}** | **{}** |",
        kb(raw),
        kb(gzip),
        kb(brotli)
    )?;
    writeln!(out)?;
    let share = brotli as f64 / BUDGET_BROTLI as f64 * 100.0;
    let verdict = if brotli <= BUDGET_BROTLI {
        "Met"
    } else {
        "**Not met**"
    };
    writeln!(
        out,
        "{verdict}: {} bytes brotli in total, {share:.0} % of the {} budget.",
        thousands(brotli),
        kb(BUDGET_BROTLI)
    )?;
    Ok(out)
}
