//! The ingest ceiling for `cargo xtask bench`: the collector's submit route with nothing behind it.
//!
//! Same framework (axum 0.8), same runtime (tokio, multi-threaded) and the same
//! `listening on http://ADDR` start-up line as `voices-collector serve`, so the
//! benchmark drives both the same way. `POST /api/surveys/{id}/responses` reads
//! the whole body and answers 201 with a fixed receipt: no parsing, no
//! validation, no storage. Whatever the collector does above this costs.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::{Value, json};

/// Reads the body (the extractor collects it) and throws it away.
async fn submit(Path(_id): Path<String>, _body: Bytes) -> (StatusCode, Json<Value>) {
    (StatusCode::CREATED, Json(json!({"receipt": "XXXX-XXXX"})))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let app = Router::new().route("/api/surveys/{id}/responses", post(submit));
    println!("listening on http://{address}");
    axum::serve(listener, app).await
}
