//! Minifying the widget's JavaScript (oxc) and stylesheet (lightningcss) for dist: every
//! byte is downloaded on phones.

use anyhow::{Result, anyhow, bail};
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
use lightningcss::targets::{Features, Targets};
use oxc_allocator::Allocator;
use oxc_codegen::{Codegen, CodegenOptions, CommentOptions};
use oxc_mangler::MangleOptions;
use oxc_minifier::{CompressOptions, Minifier, MinifierOptions};
use oxc_parser::Parser;
use oxc_span::SourceType;

/// `source`, an ES module, minified: comments and whitespace gone, local names shortened.
/// Property names are left alone: the wasm-bindgen glue's imports are looked up by name.
pub fn module(name: &str, source: &str) -> Result<String> {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::mjs()).parse();
    if !parsed.diagnostics.is_empty() || parsed.panicked {
        bail!(
            "{name} is not JavaScript oxc can read: {}",
            parsed
                .diagnostics
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    let mut program = parsed.program;
    let minified = Minifier::new(MinifierOptions {
        mangle: Some(MangleOptions::default()),
        mangle_properties: None,
        compress: Some(CompressOptions::smallest()),
    })
    .minify(&allocator, &mut program);
    Ok(Codegen::new()
        .with_options(CodegenOptions {
            minify: true,
            comments: CommentOptions::disabled(),
            ..CodegenOptions::default()
        })
        .with_scoping(minified.scoping)
        .build(&program)
        .code)
}

/// `source`, a stylesheet, minified: comments and whitespace gone, rules and values
/// written shorter. No browsers are targeted, so nothing is prefixed or lowered, with one
/// exception: media queries keep `min-width` rather than becoming the shorter range syntax
/// (`width>=…`), which older phones' browsers (Safari before 16.4) ignore.
pub fn stylesheet(name: &str, source: &str) -> Result<String> {
    let targets = Targets {
        browsers: None,
        include: Features::MediaQueries,
        exclude: Features::empty(),
    };
    let mut sheet = StyleSheet::parse(source, ParserOptions::default())
        .map_err(|error| anyhow!("{name} is not CSS lightningcss can read: {error}"))?;
    sheet
        .minify(MinifyOptions {
            targets,
            ..MinifyOptions::default()
        })
        .map_err(|error| anyhow!("minifying {name}: {error}"))?;
    let printed = sheet
        .to_css(PrinterOptions {
            minify: true,
            targets,
            ..PrinterOptions::default()
        })
        .map_err(|error| anyhow!("writing {name}: {error}"))?;
    Ok(printed.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_exports_and_strings_and_drops_comments() {
        let source = "// a comment\nexport function mount(root) {\n    const someLongName = 'voices-widget_bg.wasm';\n    return someLongName + root;\n}\n";
        let out = module("test", source).unwrap();
        assert!(out.contains("mount"), "{out}");
        assert!(out.contains("voices-widget_bg.wasm"), "{out}");
        assert!(
            !out.contains("a comment") && !out.contains("someLongName"),
            "{out}"
        );
    }

    #[test]
    fn stylesheets_lose_comments_and_whitespace() {
        let out = stylesheet(
            "test",
            "/* a comment */\n:host {\n    all: initial;\n    color: var(--voices-text, #0b0c0c);\n}\n",
        )
        .unwrap();
        assert!(
            out.starts_with(":host{all:initial;color:var(--voices-text"),
            "{out}"
        );
        let query = stylesheet("test", "@media (min-width: 40em) { .a { color: red } }").unwrap();
        assert!(query.contains("min-width:40em"), "{query}");
    }

    #[test]
    fn refuses_what_is_not_javascript() {
        assert!(module("test", "export function (").is_err());
    }
}
