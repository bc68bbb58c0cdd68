//! The "Widget weight" section: what a phone downloads for the widget, against its budget.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use super::stats::{kb, thousands};
use crate::{Locked, dist, widget};

/// Everything the widget needs on a first visit, brotli-compressed, in bytes (100 kB).
const BUDGET_BROTLI: u64 = 100_000;

#[derive(Deserialize)]
struct Manifest {
    files: Vec<ManifestFile>,
}

#[derive(Deserialize)]
struct ManifestFile {
    path: String,
    /// Fetched only when needed (a language's words, the stylesheet file), not on a first
    /// visit: not in the total.
    #[serde(default)]
    on_demand: bool,
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
    let mut on_demand = Vec::new();
    for file in manifest.files {
        let into = if file.on_demand {
            &mut on_demand
        } else {
            &mut rows
        };
        into.push(Sizes {
            raw: size(file.path.clone())?,
            gzip: size(format!("{}.gz", file.path))?,
            brotli: size(format!("{}.br", file.path))?,
            path: file.path,
        });
    }
    let named = widget::named_wasm(root);
    let wasm = fs::read(&named).with_context(|| format!("reading {}", named.display()))?;
    let parts = largest_parts(&wasm, LARGEST)
        .with_context(|| format!("reading the functions and data of {}", named.display()))?;
    let floor = floor(root)?;
    markdown(&rows, &on_demand, &floor, &parts)
}

/// The brotli bytes of the floor app's wasm and glue (`xtask/yew-floor`).
struct Floor {
    wasm: u64,
    glue: u64,
}

/// The floor app's package, also the name of its wasm-bindgen output and staging folder.
const FLOOR: &str = "yew-floor";

/// Builds the floor app as `build-widget` builds the widget and weighs what would ship.
fn floor(root: &Path) -> Result<Floor> {
    let (glue, wasm) = widget::compile(root, Locked::No, FLOOR, FLOOR, FLOOR)
        .context("building the floor app, xtask/yew-floor")?;
    Ok(Floor {
        wasm: dist::brotli(&wasm)?.len() as u64,
        glue: dist::brotli(glue.as_bytes())?.len() as u64,
    })
}

/// Whether `path` is wasm-bindgen's JS glue (`voices-widget-{hash}.js`), not `embed.js`.
fn is_glue(path: &str) -> bool {
    path.strip_prefix(widget::STEM)
        .is_some_and(|rest| rest.starts_with('-') && rest.ends_with(".js"))
}

/// How many of the wasm's largest functions and data segments the section lists.
const LARGEST: usize = 20;

/// One function body or data segment of the wasm.
struct Part {
    name: String,
    bytes: u64,
}

/// The `count` largest function bodies and data segments of `wasm`, largest first, named
/// from its `name` section (the same module as the shipped one, with names kept in).
fn largest_parts(wasm: &[u8], count: usize) -> Result<Vec<Part>> {
    use wasmparser::{KnownCustom, Name, Payload, TypeRef};

    let mut imported_functions = 0u32;
    let mut functions = Vec::new();
    let mut data = Vec::new();
    let mut function_names = HashMap::new();
    let mut data_names = HashMap::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::ImportSection(imports) => {
                for import in imports.into_imports() {
                    if let TypeRef::Func(_) | TypeRef::FuncExact(_) = import?.ty {
                        imported_functions += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let index = imported_functions + functions.len() as u32;
                functions.push((index, body.range().len() as u64));
            }
            Payload::DataSection(segments) => {
                for (index, segment) in segments.into_iter().enumerate() {
                    data.push((index as u32, segment?.data.len() as u64));
                }
            }
            Payload::CustomSection(custom) => {
                if let KnownCustom::Name(names) = custom.as_known() {
                    for subsection in names {
                        let (map, into) = match subsection? {
                            Name::Function(map) => (map, &mut function_names),
                            Name::Data(map) => (map, &mut data_names),
                            _ => continue,
                        };
                        for naming in map {
                            let naming = naming?;
                            into.insert(naming.index, naming.name);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let name = |names: &HashMap<u32, &str>, index: u32, kind: &str| match names.get(&index) {
        Some(name) => readable(name),
        None => format!("{kind} {index}"),
    };
    let mut parts: Vec<Part> = functions
        .into_iter()
        .map(|(index, bytes)| Part {
            name: name(&function_names, index, "function"),
            bytes,
        })
        .chain(data.into_iter().map(|(index, bytes)| Part {
            name: format!("data {}", name(&data_names, index, "segment")),
            bytes,
        }))
        .collect();
    parts.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.name.cmp(&b.name)));
    parts.truncate(count);
    Ok(parts)
}

/// A symbol name without what only tells copies apart: the hash rustc appends
/// (`::h0123456789abcdef`) and crate disambiguators (`core[c5930c85a12de822]`).
fn readable(name: &str) -> String {
    let name = match name.rsplit_once("::h") {
        Some((stem, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            stem
        }
        _ => name,
    };
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        match after.find(']') {
            Some(close) if after[1..close].bytes().all(|b| b.is_ascii_hexdigit()) && close > 1 => {
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn markdown(rows: &[Sizes], on_demand: &[Sizes], floor: &Floor, parts: &[Part]) -> Result<String> {
    let total = |field: fn(&Sizes) -> u64| rows.iter().map(field).sum::<u64>();
    let (raw, gzip, brotli) = (total(|s| s.raw), total(|s| s.gzip), total(|s| s.brotli));

    let mut out = String::new();
    writeln!(out, "## Widget weight")?;
    writeln!(out)?;
    writeln!(
        out,
        "The table lists every file of widget/dist/manifest.json that a first visit to a \
         page with the widget fetches, as `cargo xtask build-widget` writes it; the \
         collector serves the brotli copy to browsers that accept it (current browsers do, over \
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
    // The widget's wasm and glue against the floor's: the same kinds of file, built alike.
    let (code, others): (Vec<&Sizes>, Vec<&Sizes>) = rows
        .iter()
        .partition(|row| row.path.ends_with(".wasm") || is_glue(&row.path));
    let code = code.iter().map(|row| row.brotli).sum::<u64>();
    let others: Vec<String> = others
        .iter()
        .map(|row| format!("`{}` {}", row.path, kb(row.brotli)))
        .collect();
    let floor_total = floor.wasm + floor.glue;
    writeln!(out)?;
    writeln!(
        out,
        "Baseline, built in the same run: the smallest Yew app that reads a survey from JSON \
         and lets a person answer it, one question a page with a text box, choices and \
         Continue (`xtask/yew-floor`), with the widget's profile, allocator and framework \
         crates at the same versions: {} brotli (wasm {}, glue {}). The widget's wasm and \
         glue are {} brotli, {:.1}× the floor: everything the widget does beyond the floor \
         adds {} (checking the survey's definition, keeping, checking and sending answers, \
         drafts, the outbox, languages, every other screen, and the framework's parts that \
         only these use). The other files counted are the widget's alone: {}.",
        kb(floor_total),
        kb(floor.wasm),
        kb(floor.glue),
        kb(code),
        code as f64 / floor_total.max(1) as f64,
        kb(code.saturating_sub(floor_total)),
        others.join(", "),
    )?;
    let listed = |wanted: fn(&str) -> bool| -> Vec<String> {
        on_demand
            .iter()
            .filter(|file| wanted(&file.path))
            .map(|file| format!("`{}` {}", file.path, kb(file.brotli)))
            .collect()
    };
    let stylesheets = listed(|path| path.ends_with(".css"));
    let words = listed(|path| !path.ends_with(".css"));
    if !stylesheets.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Not in the total, because a first visit does not fetch it: the stylesheet as a \
             file, brotli {}. embed.js carries the same stylesheet as text for shadow roots, \
             and the hosted page has it in the page itself; the file is for browsers without \
             constructed stylesheets (Safari before 16.4) and for the collector's plain pages \
             (what came of a survey, a response's own page, the email sign-up pages).",
            stylesheets.join(", ")
        )?;
    }
    if !words.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Not in the total either: the widget's own words in each language but English \
             (which is in the wasm), one file per language, fetched only by a reader of that \
             language, brotli: {}.",
            words.join(", ")
        )?;
    }
    let wasm = rows
        .iter()
        .find(|row| row.path.ends_with(".wasm"))
        .map_or(0, |row| row.raw);
    writeln!(out)?;
    writeln!(
        out,
        "The {} largest parts of the wasm, uncompressed: function bodies and data segments \
         (`.rodata` holds every string and constant table), named from the names \
         wasm-bindgen's output has before `build-widget` takes them out. Hashes and crate \
         disambiguators are left off the names, so one generic function's copies can share \
         a name.",
        parts.len()
    )?;
    writeln!(out)?;
    writeln!(out, "| function or data | raw | of the wasm |")?;
    writeln!(out, "| --- | ---: | ---: |")?;
    for part in parts {
        let share = part.bytes as f64 / wasm.max(1) as f64 * 100.0;
        writeln!(
            out,
            "| `{}` | {} | {share:.1} % |",
            part.name.replace('|', "\\|").replace('`', "'"),
            thousands(part.bytes)
        )?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_hashes_and_disambiguators() {
        assert_eq!(
            readable("voices_widget::question_field::question_field::hbb3db76d9273c7cb"),
            "voices_widget::question_field::question_field"
        );
        assert_eq!(
            readable("core[c5930c85a12de822]::num::flt2dec::strategy::dragon::format_shortest"),
            "core::num::flt2dec::strategy::dragon::format_shortest"
        );
        assert_eq!(readable("a[i]::b::hzz"), "a[i]::b::hzz");
    }
}
