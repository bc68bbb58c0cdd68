//! Staff access: accounts, sessions and tokens, and the pages and API under
//! `/admin` and `/api/admin` (counts, publishing, downloads, erasure, audit, a survey's
//! updates, collecting responses with people).

pub mod accounts;
pub mod actions;
pub mod api;
pub mod collect_pages;
pub mod counts;
pub mod credentials;
pub mod download;
pub mod guard;
pub mod html;
pub mod pages;
pub mod population_pages;
pub mod poster_page;
pub mod routes;
pub mod sessions;
pub mod summary_pages;
pub mod updates_pages;

pub use routes::router;
