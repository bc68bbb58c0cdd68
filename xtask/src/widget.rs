//! `build-widget`: compile the widget to wasm, generate its JS bindings and hand the assets to dist.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use wasm_bindgen_cli_support::Bindgen;

use crate::Locked;
use crate::dist::{self, Asset};
use crate::minify;
use crate::process;

const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "release-wasm";
/// The prefix of every hashed file name; also the name wasm-bindgen gives its output.
pub const STEM: &str = "voices-widget";
/// Where wasm-bindgen's output for the widget is kept under target/xtask, names and all.
const STAGING: &str = "bindgen";
/// Placeholders in widget/embed/embed.js, replaced by the hashed names of this build.
const JS_PLACEHOLDER: &str = "__VOICES_WIDGET_JS__";
const CSS_PLACEHOLDER: &str = "__VOICES_WIDGET_CSS__";
/// A string literal in embed.js replaced by the stylesheet's text, as a JS string: shadow
/// roots adopt it as a constructed stylesheet instead of fetching the file (one round trip
/// fewer before a partner's page can show the survey).
const CSS_TEXT_PLACEHOLDER: &str = "\"__VOICES_STYLESHEET_TEXT__\"";
/// A string literal in embed.js replaced by the words files of this build, a JS object
/// from language tag to file name.
const WORDS_PLACEHOLDER: &str = "\"__VOICES_WORDS__\"";

pub fn build(root: &Path, locked: Locked) -> Result<()> {
    let (js, wasm) = compile(root, locked, "voices-widget", STEM, STAGING)?;

    // The JS glue and the wasm are one unit (the glue calls exports by index), so they
    // share a hash computed over both as shipped (the glue minified), and the glue is
    // pointed at the hashed wasm name.
    let hash = dist::short_hash(&[js.as_bytes(), &wasm]);
    let js_name = format!("{STEM}-{hash}.js");
    let wasm_name = format!("{STEM}-{hash}_bg.wasm");
    let js = replace_exactly_once(&js, &format!("{STEM}_bg.wasm"), &wasm_name)
        .context("pointing the wasm-bindgen glue at the hashed wasm file")?;

    let css_path = root.join("widget/style/widget.css");
    let css =
        fs::read_to_string(&css_path).with_context(|| format!("reading {}", css_path.display()))?;
    let css = minify::stylesheet("widget.css", &css)?.into_bytes();
    let css_name = format!("{STEM}-{}.css", dist::short_hash(&[&css]));

    let template_path = root.join("widget/embed/embed.js");
    let template = fs::read_to_string(&template_path)
        .with_context(|| format!("reading {}", template_path.display()))?;
    let css_text = serde_json::to_string(
        std::str::from_utf8(&css).with_context(|| format!("{} is UTF-8", css_path.display()))?,
    )?;
    // The widget's own words in each language but English, which is built into the wasm:
    // one content-addressed file per language, fetched only by that language's readers.
    let mut words = Vec::new();
    let mut words_files = serde_json::Map::new();
    for catalogue in voices_shared::built_in().filter(|c| c.locale != "en") {
        let file = catalogue.words_file().into_bytes();
        let name = format!(
            "voices-words-{}-{}.txt",
            catalogue.locale,
            dist::short_hash(&[&file])
        );
        words_files.insert(catalogue.locale.to_owned(), name.clone().into());
        words.push(Asset::on_demand(name, "text/plain; charset=utf-8", file));
    }
    let words_files = serde_json::Value::Object(words_files).to_string();

    let embed = replace_exactly_once(&template, JS_PLACEHOLDER, &js_name)
        .and_then(|embed| replace_exactly_once(&embed, CSS_PLACEHOLDER, &css_name))
        .and_then(|embed| replace_exactly_once(&embed, CSS_TEXT_PLACEHOLDER, &css_text))
        .and_then(|embed| replace_exactly_once(&embed, WORDS_PLACEHOLDER, &words_files))
        .with_context(|| format!("filling in the template {}", template_path.display()))?;
    let embed = minify::module("embed.js", &embed)?;

    let mut assets = vec![
        // embed.js is the one URL site owners paste into their pages, so it keeps a stable
        // name and must be revalidated; everything it points at is content-addressed.
        Asset::new("embed.js", false, "text/javascript", embed.into_bytes()),
        Asset::new(js_name, true, "text/javascript", js.into_bytes()),
        Asset::new(wasm_name, true, "application/wasm", wasm),
        // A first visit does not fetch the stylesheet as a file: embed.js carries it as
        // text for shadow roots, and the hosted page has it in the page. The file is for
        // browsers without constructed stylesheets and the collector's plain pages (what
        // came of a survey, a response's own page, the email sign-up pages).
        Asset::on_demand(css_name, "text/css", css),
    ];
    assets.extend(words);
    dist::write(&root.join("widget/dist"), &assets)
}

/// Builds `package` to wasm with the widget's profile and runs wasm-bindgen on it, naming
/// the output `stem` in `target/xtask/{staging}`. Returns the glue, minified, and the wasm
/// without its names, both as `build-widget` ships them.
pub fn compile(
    root: &Path,
    locked: Locked,
    package: &str,
    stem: &str,
    staging: &str,
) -> Result<(String, Vec<u8>)> {
    ensure_wasm_target(root)?;
    process::run(process::cargo(
        root,
        locked,
        &[
            "build",
            "-p",
            package,
            "--target",
            TARGET,
            "--profile",
            PROFILE,
        ],
    ))?;
    let target_dir = target_dir(root);
    let compiled = target_dir
        .join(TARGET)
        .join(PROFILE)
        .join(format!("{}.wasm", package.replace('-', "_")));
    let (js, wasm) = bindgen(&compiled, &target_dir.join("xtask").join(staging), stem)?;
    let js = minify::module("the wasm-bindgen glue", &js)?;
    Ok((js, wasm))
}

/// Adds the wasm target when missing: a fresh machine may only have the host target.
fn ensure_wasm_target(root: &Path) -> Result<()> {
    let mut list = Command::new("rustup");
    list.current_dir(root)
        .args(["target", "list", "--installed"]);
    let installed = process::output(list)?;
    if installed.lines().any(|line| line.trim() == TARGET) {
        return Ok(());
    }
    let mut add = Command::new("rustup");
    add.current_dir(root).args(["target", "add", TARGET]);
    process::run(add)
}

/// Cargo's target directory; honours CARGO_TARGET_DIR, the only override this workspace
/// could plausibly meet (it sets no `build.target-dir` in .cargo/config.toml).
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// Runs wasm-bindgen as a library, so its version is pinned by Cargo.lock to exactly the
/// `wasm-bindgen` the widget links against (a mismatch is a hard error), with no separate
/// CLI to install. Returns the JS glue and the processed wasm.
fn bindgen(input: &Path, staging: &Path, stem: &str) -> Result<(String, Vec<u8>)> {
    if staging.exists() {
        fs::remove_dir_all(staging).with_context(|| format!("clearing {}", staging.display()))?;
    }
    println!("$ wasm-bindgen --target web {}", input.display());
    Bindgen::new()
        .input_path(input)
        .out_name(stem)
        .web(true)?
        .typescript(false)
        // Function names are kept here, in the staging copy `bench` reads to say what
        // is large (`NAMED_WASM`), and taken out below of the copy that ships: they are
        // about a third of the module and only help in a debugger. The release profile
        // already strips DWARF.
        .remove_name_section(false)
        .remove_producers_section(true)
        // Keep the default `new URL('…_bg.wasm', import.meta.url)`, so embed.js can call
        // `init()` without knowing the wasm file's name.
        .omit_default_module_path(false)
        .generate(staging)
        .with_context(|| format!("running wasm-bindgen on {}", input.display()))?;

    // Snippets would be extra JS files the glue imports by relative path; dist does not
    // ship them, so refuse rather than produce a widget that fails to load.
    if staging.join("snippets").exists() {
        bail!(
            "wasm-bindgen emitted JS snippets ({}); dist/ does not ship them yet",
            staging.join("snippets").display()
        );
    }
    let js_path = staging.join(format!("{stem}.js"));
    let wasm_path = staging.join(format!("{stem}_bg.wasm"));
    let js =
        fs::read_to_string(&js_path).with_context(|| format!("reading {}", js_path.display()))?;
    let named = fs::read(&wasm_path).with_context(|| format!("reading {}", wasm_path.display()))?;
    let wasm = without_names(&named)
        .with_context(|| format!("taking the names out of {}", wasm_path.display()))?;
    Ok((js, wasm))
}

/// The wasm-bindgen output of the last build, with its function and data names: what
/// `bench` reads to list the largest parts of the widget's wasm.
pub fn named_wasm(root: &Path) -> PathBuf {
    target_dir(root)
        .join("xtask")
        .join(STAGING)
        .join(format!("{STEM}_bg.wasm"))
}

/// `wasm` without its `name` section; every other section is copied byte for byte.
fn without_names(wasm: &[u8]) -> Result<Vec<u8>> {
    let mut module = wasm_encoder::Module::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let payload = payload?;
        if let wasmparser::Payload::CustomSection(custom) = &payload
            && custom.name() == "name"
        {
            continue;
        }
        // Function bodies come inside the code section's own range; the header and
        // anything that is not a section have none.
        if let Some((id, range)) = payload.as_section() {
            module.section(&wasm_encoder::RawSection {
                id,
                data: &wasm[range],
            });
        }
    }
    Ok(module.finish())
}

/// Replaces `from` with `to`, insisting it occurs exactly once: zero or several matches
/// mean the template or wasm-bindgen's output changed shape, and a silent miss would ship
/// a page that loads the wrong file.
fn replace_exactly_once(text: &str, from: &str, to: &str) -> Result<String> {
    match text.matches(from).count() {
        1 => Ok(text.replacen(from, to, 1)),
        n => bail!("expected `{from}` exactly once, found it {n} times"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_a_single_occurrence() {
        assert_eq!(replace_exactly_once("a X b", "X", "Y").unwrap(), "a Y b");
    }

    #[test]
    fn refuses_missing_or_repeated_placeholders() {
        assert!(replace_exactly_once("a b", "X", "Y").is_err());
        assert!(replace_exactly_once("X X", "X", "Y").is_err());
    }
}
