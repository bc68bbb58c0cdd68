//! Embeds the widget build (`widget/dist`, made by `cargo xtask build-widget`) in the binary,
//! so the collector stays one file to copy to a server.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let dist = env::var_os("VOICES_WIDGET_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir.join("../widget/dist"));
    println!("cargo:rerun-if-env-changed=VOICES_WIDGET_DIST");
    println!("cargo:rerun-if-changed={}", dist.display());
    let manifest = dist.join("manifest.json");
    println!("cargo:rerun-if-changed={}", manifest.display());

    let mut code = String::from("&[\n");
    match fs::read_to_string(&manifest) {
        Ok(text) => {
            let value: serde_json::Value =
                serde_json::from_str(&text).expect("widget/dist/manifest.json is JSON");
            let files = value["files"]
                .as_array()
                .expect("manifest.json has a files list");
            for file in files {
                let path = file["path"].as_str().expect("each file has a path");
                let content_type = file["content_type"]
                    .as_str()
                    .expect("each file has a content_type");
                let immutable = file["immutable"].as_bool().unwrap_or(false);
                let raw = dist.join(path);
                let variant = |suffix: &str| {
                    let p = dist.join(format!("{path}.{suffix}"));
                    if p.exists() {
                        format!("Some(include_bytes!({:?}))", absolute(&p))
                    } else {
                        "None".into()
                    }
                };
                writeln!(
                    code,
                    "    EmbeddedAsset {{ path: {path:?}, content_type: {content_type:?}, immutable: {immutable}, raw: include_bytes!({:?}), br: {}, gz: {} }},",
                    absolute(&raw),
                    variant("br"),
                    variant("gz"),
                )
                .expect("writing to a String");
            }
        }
        Err(_) => {
            println!(
                "cargo:warning=no widget build at {}: the collector will answer 503 for the widget; run `cargo xtask build-widget` first",
                dist.display()
            );
        }
    }
    code.push_str("]\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("set by cargo")).join("widget_assets.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}

fn absolute(path: &Path) -> String {
    fs::canonicalize(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .display()
        .to_string()
}
