//! The demo's mail relay: a real SMTP server on 127.0.0.1 that prints each update email the collector sends, so the "tell me what happened" loop can be followed in the terminal.

use std::io;
use std::net::TcpListener;

use anyhow::{Context, Result};
use mailin_embedded::response::OK;
use mailin_embedded::{Handler, Response, Server};

/// One SMTP session's message as it arrives.
#[derive(Clone, Default)]
struct Printer {
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Printer {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        OK
    }
    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> Response {
        // Printed decoded, as a mail program shows it: the raw message is quoted-printable.
        let shown = mail_parser::MessageParser::default()
            .parse(&self.data)
            .map(|message| {
                format!(
                    "Subject: {}\n\n{}",
                    message.subject().unwrap_or_default(),
                    message.body_text(0).unwrap_or_default()
                )
            })
            .unwrap_or_else(|| String::from_utf8_lossy(&self.data).into_owned());
        println!(
            "\n──── an update email to {} ────\n{shown}\n────────────────\n",
            self.to.join(", ")
        );
        OK
    }
}

/// Starts the server on a free port; returns its `smtp://` address. It serves until the
/// demo stops.
pub fn start() -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot open the demo's mail relay")?;
    let address = listener.local_addr()?;
    let mut server = Server::new(Printer::default());
    server
        .with_name("demo-relay.invalid")
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        if let Err(error) = server.serve() {
            eprintln!("the demo's mail relay stopped: {error}");
        }
    });
    Ok(format!("smtp://{address}"))
}
