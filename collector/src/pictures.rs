//! A survey's pictures (Easy Read's, beside questions and options): read from the folder beside its definition, checked, published with it, and served from `/s/{id}/pictures/{file}`.
//!
//! A survey names each picture by a file name ([`voices_shared::is_picture_file`]); the
//! files sit in a folder named after the survey's id, next to its definition
//! (`surveys/help-at-home.json` and `surveys/help-at-home/who.svg`). Publishing the
//! survey publishes them into the store with it, so that every collector on a store
//! serves them, from the collector's own origin: a hosted page's strict policy
//! (`img-src 'self'`) allows them, and nothing is fetched from anywhere else.

use std::path::{Path, PathBuf};

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use voices_shared::Survey;

use crate::AppState;

/// The largest picture a survey may publish: an Easy Read picture is a small drawing,
/// and every reader of the survey downloads it.
pub const MAX_PICTURE_BYTES: usize = 512 * 1024;

/// Whether `bytes` are a picture of the kind the end of `file`'s name says, and no larger
/// than [`MAX_PICTURE_BYTES`]: why not, if not.
pub fn check(file: &str, bytes: &[u8]) -> Result<(), String> {
    if bytes.len() > MAX_PICTURE_BYTES {
        return Err(format!(
            "is {} bytes; a picture may be at most {MAX_PICTURE_BYTES} (512 KiB)",
            bytes.len()
        ));
    }
    let fits = match voices_shared::picture_content_type(file) {
        Some("image/png") => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        Some("image/jpeg") => bytes.starts_with(&[0xff, 0xd8, 0xff]),
        Some("image/webp") => {
            bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP"
        }
        Some("image/svg+xml") => return check_svg(bytes),
        _ => return Err("is not a picture's file name".into()),
    };
    if fits {
        Ok(())
    } else {
        Err("is not the kind of picture its name says (look at the end of its name)".into())
    }
}

/// An SVG is XML that can carry scripts, links and other documents: shown through
/// `<img>` a browser runs and loads none of them, and the collector serves it sandboxed,
/// but a survey's picture is a drawing and nothing more, so it is read as XML and held to
/// a list of drawing elements and attributes; anything else is refused rather than
/// published. No DTD (so no entities), UTF-8 only, links only within the drawing
/// (`#id`), and no `url(...)` but to the drawing's own gradients and clips.
fn check_svg(bytes: &[u8]) -> Result<(), String> {
    const SVG: &str = "http://www.w3.org/2000/svg";
    const XLINK: &str = "http://www.w3.org/1999/xlink";
    const ELEMENTS: &[&str] = &[
        "svg",
        "g",
        "defs",
        "title",
        "desc",
        "path",
        "circle",
        "ellipse",
        "rect",
        "line",
        "polyline",
        "polygon",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "use",
        "symbol",
    ];
    const ATTRIBUTES: &[&str] = &[
        "id",
        "viewBox",
        "width",
        "height",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "fx",
        "fy",
        "d",
        "points",
        "transform",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-opacity",
        "opacity",
        "clip-path",
        "clip-rule",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientUnits",
        "gradientTransform",
        "spreadMethod",
        "preserveAspectRatio",
        "version",
        "href",
        "role",
        "aria-hidden",
        "focusable",
        "visibility",
        "display",
        "vector-effect",
        "clipPathUnits",
    ];
    let text = std::str::from_utf8(bytes).map_err(|_| "is an SVG that is not UTF-8 text")?;
    let declaration = text.trim_start().strip_prefix("<?xml").map(|rest| {
        rest.split("?>")
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    });
    if declaration.is_some_and(|d| d.contains("encoding") && !d.contains("utf-8")) {
        return Err("is an SVG declared in another encoding than UTF-8".into());
    }
    let drawing = roxmltree::Document::parse(text)
        .map_err(|error| format!("is not an SVG drawing: not well-formed XML ({error})"))?;
    let root = drawing.root_element();
    if root.tag_name().name() != "svg" || root.tag_name().namespace() != Some(SVG) {
        return Err("is not an SVG drawing (its root is not an <svg> element)".into());
    }
    let refused = |what: String| {
        Err(format!(
            "is an SVG with {what} in it; a survey's picture is a drawing and nothing more"
        ))
    };
    for node in drawing.descendants() {
        if node.is_pi() {
            return refused("a processing instruction".into());
        }
        if !node.is_element() {
            continue;
        }
        let name = node.tag_name();
        if name.namespace() != Some(SVG) || !ELEMENTS.contains(&name.name()) {
            return refused(format!("<{}>", name.name()));
        }
        for attribute in node.attributes() {
            let (local, value) = (attribute.name(), attribute.value());
            let known = match attribute.namespace() {
                None => ATTRIBUTES.contains(&local),
                Some(XLINK) => local == "href",
                Some(_) => false,
            };
            if !known || local.to_ascii_lowercase().starts_with("on") {
                return refused(format!("the attribute {local}"));
            }
            if local == "href" && !value.starts_with('#') {
                return refused(format!("a link to {value:?}, outside the drawing"));
            }
            let lower = value.to_ascii_lowercase();
            let outside = lower
                .match_indices("url(")
                .any(|(at, _)| !lower[at + 4..].trim_start().starts_with('#'));
            if outside {
                return refused(format!("{value:?}, an address outside the drawing"));
            }
        }
    }
    Ok(())
}

/// The folder a survey's pictures are read from: named after its id, beside `definition`.
pub fn folder(definition: &Path, survey: &Survey) -> PathBuf {
    definition
        .parent()
        .unwrap_or(Path::new("."))
        .join(survey.id())
}

/// Every picture `survey` shows, read from its folder beside `definition` and checked:
/// each file once, with its bytes. Every one missing or unfit is said, with where.
pub fn read(definition: &Path, survey: &Survey) -> Result<Vec<(String, Vec<u8>)>, String> {
    let folder = folder(definition, survey);
    let mut read: Vec<(String, Vec<u8>)> = Vec::new();
    let mut problems = Vec::new();
    for picture in survey.pictures() {
        let file = picture.file();
        if read.iter().any(|(known, _)| known == file) {
            continue;
        }
        let path = folder.join(file);
        // The size first: a huge file (or a link to one) is not read to be refused.
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if size > MAX_PICTURE_BYTES as u64 {
            problems.push(format!(
                "{}: is {size} bytes; a picture may be at most {MAX_PICTURE_BYTES} (512 KiB)",
                path.display()
            ));
            continue;
        }
        match std::fs::read(&path) {
            Ok(bytes) => match check(file, &bytes) {
                Ok(()) => read.push((file.to_owned(), bytes)),
                Err(why) => problems.push(format!("{}: {why}", path.display())),
            },
            Err(error) => problems.push(format!(
                "{}: cannot read this picture, which the survey shows ({error}); pictures go in a folder named after the survey's id, beside its definition",
                path.display()
            )),
        }
    }
    if problems.is_empty() {
        Ok(read)
    } else {
        Err(problems.join("\n"))
    }
}

/// `GET /s/{id}/pictures/{file}`: one of the survey's pictures, for `<img>` on its hosted
/// page and on partners' pages.
pub async fn serve(
    State(state): State<AppState>,
    UrlPath((id, file)): UrlPath<(String, String)>,
) -> Response {
    let Some(content_type) = voices_shared::picture_content_type(&file)
        .filter(|_| voices_shared::is_picture_file(&file) && state.catalog().latest(&id).is_some())
    else {
        return crate::pages::not_found_page(&format!("s/{id}/pictures/{file}"));
    };
    let found = state
        .with_store({
            let (id, file) = (id.clone(), file.clone());
            move |store| Ok(store.picture(&id, &file)?)
        })
        .await;
    let bytes = match found {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return crate::pages::not_found_page(&format!("s/{id}/pictures/{file}")),
        Err(error) => return error.into_response(),
    };
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers: &mut HeaderMap = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // A survey republished may replace a picture under the same name: kept a day.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    // An SVG opened on its own, not through <img>, runs nothing and loads nothing.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
    );
    // Partners' pages show it too.
    crate::assets::allow_any_page(headers);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_what_their_names_say_and_svgs_are_only_drawings() {
        let svg = |body: &str| {
            format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 9 9\">{body}</svg>")
        };
        assert_eq!(check("a.svg", svg("<circle r=\"3\"/>").as_bytes()), Ok(()));
        assert_eq!(check("a.png", b"\x89PNG\r\n\x1a\n...."), Ok(()));
        assert_eq!(check("a.jpg", &[0xff, 0xd8, 0xff, 0xe0]), Ok(()));
        assert_eq!(check("a.webp", b"RIFF\0\0\0\0WEBPVP8 "), Ok(()));
        assert!(
            check("a.png", b"GIF89a")
                .unwrap_err()
                .contains("not the kind")
        );
        assert!(
            check("a.svg", b"\x89PNG")
                .unwrap_err()
                .contains("not UTF-8")
        );
        assert!(
            check("a.svg", b"<html><p>hello</p></html>")
                .unwrap_err()
                .contains("not an SVG")
        );
        for bad in [
            "<script>alert(1)</script>",
            "<x:script xmlns:x=\"http://www.w3.org/2000/svg\">alert(1)</x:script>",
            "<h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">alert(1)</h:script>",
            "<foreignObject><p>hi</p></foreignObject>",
            "<a href=\"javascript:alert(1)\"/>",
            "<use href=\"javascript&#58;alert(1)\"/>",
            "<image href=\"https://elsewhere.example/x.png\"/>",
            "<use href=\"https://elsewhere.example/x.svg#a\"/>",
            "<use href=\"data:image/svg+xml,%3Csvg%3E\"/>",
            "<use xlink:href=\"//elsewhere.example/x.svg#a\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"/>",
            "<circle onclick=\"alert(1)\" r=\"3\"/>",
            "<circle onclick =\"alert(1)\" r=\"3\"/>",
            "<circle style=\"fill: url(//elsewhere.example/x.svg#a)\" r=\"3\"/>",
            "<style>@import url(//elsewhere.example/x.css);</style>",
            "<filter><feImage href=\"//elsewhere.example/x.png\"/></filter>",
            "<?evil data?>",
        ] {
            assert!(check("a.svg", svg(bad).as_bytes()).is_err(), "{bad}");
        }
        assert!(
            check(
                "a.svg",
                b"<!DOCTYPE svg [<!ENTITY e \"&#60;script&#62;\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&e;</svg>"
            )
            .is_err()
        );
        assert!(
            check(
                "a.svg",
                b"<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"
            )
            .unwrap_err()
            .contains("encoding")
        );
        // What a drawing needs passes: shapes, a gradient and its url(#...), a link within.
        let drawing = svg(
            "<defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#fff\"/></linearGradient></defs>\
             <g transform=\"translate(1 1)\"><rect width=\"4\" height=\"4\" fill=\"url(#g)\"/>\
             <use href=\"#g\"/><path d=\"M0 0L9 9\" stroke=\"#0b0c0c\" stroke-width=\"3\"/></g>",
        );
        assert_eq!(check("a.svg", drawing.as_bytes()), Ok(()));
        // Every example picture passes.
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples/surveys/help-at-home");
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            assert_eq!(
                check(&name, &std::fs::read(&path).unwrap()),
                Ok(()),
                "{name}"
            );
        }
        assert!(
            check("a.svg", &vec![b' '; MAX_PICTURE_BYTES + 1])
                .unwrap_err()
                .contains("at most")
        );
    }
}
