//! Accepting connections with limits no slow or idle client can outlast: a header-read timeout (also the idle keep-alive timeout), a cap on open connections, and a graceful stop (the body timeout is a layer of `app`).
//!
//! `axum::serve` gives hyper no timer, so a client could open a connection
//! and send its headers a byte a minute, or keep an idle keep-alive
//! connection open for ever; a few hundred of those use up the process's file
//! descriptors and nothing else gets in, `/healthz` included. Here each
//! connection is served by hyper with a timer, and at most `max_connections`
//! are open at once: past that, new ones wait in the kernel's queue until a
//! slot frees (which the timeouts guarantee), instead of failing for want of
//! descriptors the store and the open requests still need.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How patient the collector is with each connection.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a client has to send a request's headers, counted from when
    /// the connection opened or its previous response was sent: so also how
    /// long an idle keep-alive connection stays open.
    pub header_timeout: Duration,
    /// Connections open at once; more wait to be accepted.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            max_connections: 512,
        }
    }
}

/// Descriptors kept back from connections for the store's files, the log and
/// the odd file a request opens (an XLSX export's temporary file).
const DESCRIPTORS_KEPT_BACK: usize = 64;

impl Limits {
    /// `max_connections` lowered, if need be, to what the process's limit on
    /// open files allows (read from /proc/self/limits; unchanged elsewhere).
    pub fn within_open_file_limit(self) -> Limits {
        let Some(limit) = open_file_limit() else {
            return self;
        };
        let allowed = limit.saturating_sub(DESCRIPTORS_KEPT_BACK).max(1);
        if allowed >= self.max_connections {
            return self;
        }
        tracing::warn!(
            open_file_limit = limit,
            max_connections = allowed,
            "the process may open only {limit} files, so at most {allowed} connections are served at once; raise `ulimit -n` to serve more"
        );
        Limits {
            max_connections: allowed,
            ..self
        }
    }
}

/// The soft limit on open files, from /proc/self/limits.
fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Serves `app` on `listener` until `shutdown` completes, then stops
/// accepting and waits for the open connections to finish their requests
/// (the caller bounds that wait).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        // A free slot first: at the cap, connections wait in the kernel's queue.
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot.map_err(io::Error::other)?,
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors, or a connection reset before it was
                    // accepted: wait a moment rather than spin.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let service = TowerToHyperService::new(tower::service_fn(
            move |request: axum::http::Request<hyper::body::Incoming>| {
                let mut request = request.map(axum::body::Body::new);
                // What the rate limiter and the sign-in brake count against.
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                app.clone().oneshot(request)
            },
        ));
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Held for as long as the connection is open.
            let _slot = slot;
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "a connection ended with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
