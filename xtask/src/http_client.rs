//! One keep-alive HTTP/1.1 connection to a server under test: what the load generators of `bench` and `faults` send their requests over.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{CONTENT_TYPE, HOST};
use hyper::http::request::Builder;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

/// Longest wait for one answer, so that a stuck server cannot hang a run.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
    /// Drives the connection; ends when the sender is dropped or the server hangs up.
    driver: JoinHandle<()>,
    host: String,
}

impl Connection {
    /// Connects with Nagle off (each request is one small write, and a delayed ACK
    /// would otherwise add tens of milliseconds to it).
    pub async fn open(addr: SocketAddr) -> Result<Connection> {
        let stream = TcpStream::connect(addr)
            .await
            .with_context(|| format!("connecting to {addr}"))?;
        stream.set_nodelay(true)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .with_context(|| format!("an HTTP/1.1 handshake with {addr}"))?;
        let driver = tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(Connection {
            sender,
            driver,
            host: addr.to_string(),
        })
    }

    /// A `POST` of JSON to `path` on this server.
    pub fn post_json(&self, path: &str) -> Builder {
        Request::post(path)
            .header(HOST, self.host.as_str())
            .header(CONTENT_TYPE, "application/json")
    }

    /// A `GET` of `path` on this server.
    pub fn get(&self, path: &str) -> Builder {
        Request::get(path).header(HOST, self.host.as_str())
    }

    /// Waits until the connection can take the next request; fails once it has closed.
    pub async fn ready(&mut self) -> Result<()> {
        self.sender.ready().await.context("the connection closed")
    }

    /// Sends a request and reads its whole answer, within [`ANSWER_TIMEOUT`].
    pub async fn exchange(&mut self, request: Request<Full<Bytes>>) -> Result<(StatusCode, Bytes)> {
        let exchange = async {
            let response = self.sender.send_request(request).await?;
            let status = response.status();
            let body = response.into_body().collect().await?.to_bytes();
            anyhow::Ok((status, body))
        };
        tokio::time::timeout(ANSWER_TIMEOUT, exchange)
            .await
            .map_err(|_| anyhow!("no answer within {} s", ANSWER_TIMEOUT.as_secs()))?
    }

    /// Sends a request and returns as soon as the answer's head arrives (within
    /// [`ANSWER_TIMEOUT`]), for a body to be read as it streams.
    pub async fn send(&mut self, request: Request<Full<Bytes>>) -> Result<Response<Incoming>> {
        tokio::time::timeout(ANSWER_TIMEOUT, self.sender.send_request(request))
            .await
            .map_err(|_| anyhow!("no answer within {} s", ANSWER_TIMEOUT.as_secs()))?
            .map_err(anyhow::Error::from)
    }

    /// Hangs up and waits for the connection to wind down.
    pub async fn close(self) {
        drop(self.sender);
        let _ = self.driver.await;
    }
}
