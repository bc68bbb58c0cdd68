//! One deadline for a whole request body, on every route: a client that trickles a byte now and then cannot hold a connection for ever.
//!
//! tower-http's `RequestBodyTimeout` restarts its clock at every frame, so a
//! byte every few seconds never trips it; this clock starts when the request
//! arrives and does not restart.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use http_body::{Frame, SizeHint};
use tokio::time::Sleep;

/// The error a body gives once its deadline has passed.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {0} seconds")]
pub struct DeadlinePassed(pub u64);

impl DeadlinePassed {
    /// The passed deadline behind `error` (or anything it wraps), if that is what it is.
    pub fn behind<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a DeadlinePassed> {
        std::iter::successors(Some(error), |e| e.source()).find_map(|e| e.downcast_ref())
    }
}

struct WithDeadline {
    inner: Body,
    deadline: Pin<Box<Sleep>>,
    seconds: u64,
}

impl http_body::Body for WithDeadline {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        if self.deadline.as_mut().poll(cx).is_ready() {
            let seconds = self.seconds;
            return Poll::Ready(Some(Err(axum::Error::new(DeadlinePassed(seconds)))));
        }
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// `request` with its body's deadline `timeout` from now (a middleware of `app`).
pub fn start(request: Request, timeout: Duration) -> Request {
    request.map(|inner| {
        Body::new(WithDeadline {
            inner,
            deadline: Box::pin(tokio::time::sleep(timeout)),
            seconds: timeout.as_secs(),
        })
    })
}
