//! Every staff route in one table, with who may use it. The router is built
//! from this table alone, so a route cannot be added without an access level,
//! and a test walks the table to prove each refuses strangers.

use axum::Router;
use axum::http::Method;
use axum::routing::{MethodRouter, delete, get, post, put};

use super::guard::{Access, guard};
use super::{
    accounts, api, collect_pages, download, pages, population_pages, poster_page, summary_pages,
    updates_pages,
};
use crate::AppState;

/// One staff route.
pub struct StaffRoute {
    pub method: Method,
    /// The path as axum writes it, `{id}` for a parameter.
    pub path: &'static str,
    pub access: Access,
    /// The largest body it reads: small for forms, room for a survey
    /// definition where one is published.
    pub body_limit: usize,
    handler: MethodRouter<AppState>,
}

/// A staff form's body: a few short fields (a name, a password, a receipt).
pub const FORM_LIMIT: usize = 16 * 1024;
/// A survey definition, uploaded or PUT: the largest real ones, translated into
/// five languages, are a few hundred KiB.
pub const DEFINITION_LIMIT: usize = 2 * 1024 * 1024;

fn route(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> StaffRoute {
    StaffRoute {
        method,
        path,
        access,
        body_limit: FORM_LIMIT,
        handler,
    }
}

/// An area's figures (`question,answer,people` rows).
pub const FIGURES_LIMIT: usize = 1024 * 1024;

/// A survey's updates: up to 100, each with a body and pairs in every language.
pub const UPDATES_LIMIT: usize = 1024 * 1024;

impl StaffRoute {
    /// For the routes that write a survey's updates: room for all of them.
    fn taking_updates(self) -> StaffRoute {
        StaffRoute {
            body_limit: UPDATES_LIMIT,
            ..self
        }
    }

    /// For the routes that load an area's figures: room for every group of every
    /// question, a few thousand rows at most.
    fn taking_figures(self) -> StaffRoute {
        StaffRoute {
            body_limit: FIGURES_LIMIT,
            ..self
        }
    }

    /// For the routes that publish: room for a survey definition.
    fn taking_definitions(self) -> StaffRoute {
        StaffRoute {
            body_limit: DEFINITION_LIMIT,
            ..self
        }
    }
}

/// The table. Pages live under `/admin`, the API under `/api/admin`.
pub fn table() -> Vec<StaffRoute> {
    use Access::{Admin, Public, Signed, Staff};
    vec![
        route(
            Method::GET,
            "/admin/sign-in",
            Public,
            get(pages::sign_in_form),
        ),
        route(Method::POST, "/admin/sign-in", Public, post(pages::sign_in)),
        route(
            Method::POST,
            "/admin/sign-out",
            Signed,
            post(pages::sign_out),
        ),
        route(
            Method::GET,
            "/admin/collect",
            Signed,
            get(collect_pages::list),
        ),
        route(
            Method::GET,
            "/admin/collect/{id}",
            Public,
            get(collect_pages::page_again),
        ),
        route(
            Method::POST,
            "/admin/collect/{id}",
            Signed,
            post(collect_pages::start),
        ),
        route(Method::GET, "/admin", Staff, get(pages::dashboard)),
        route(
            Method::GET,
            "/admin/surveys/{id}",
            Staff,
            get(pages::survey),
        ),
        route(
            Method::GET,
            "/admin/surveys/{id}/population",
            Admin,
            get(population_pages::population_form),
        ),
        route(
            Method::POST,
            "/admin/surveys/{id}/population",
            Admin,
            post(population_pages::population_upload),
        )
        .taking_figures(),
        route(
            Method::GET,
            "/admin/surveys/{id}/poster",
            Staff,
            get(poster_page::poster_page),
        ),
        route(
            Method::GET,
            "/admin/surveys/{id}/reach",
            Staff,
            get(summary_pages::reach_page),
        ),
        route(
            Method::GET,
            "/admin/surveys/{id}/summary",
            Staff,
            get(summary_pages::summary_page),
        ),
        route(
            Method::GET,
            "/admin/surveys/{id}/updates",
            Staff,
            get(updates_pages::list),
        ),
        route(
            Method::GET,
            "/admin/surveys/{id}/updates/new",
            Admin,
            get(updates_pages::new_form),
        ),
        route(
            Method::POST,
            "/admin/surveys/{id}/updates/new",
            Admin,
            post(updates_pages::create),
        )
        .taking_updates(),
        route(
            Method::GET,
            "/admin/surveys/{id}/updates/{update}",
            Admin,
            get(updates_pages::edit_form),
        ),
        route(
            Method::POST,
            "/admin/surveys/{id}/updates/{update}",
            Admin,
            post(updates_pages::update),
        )
        .taking_updates(),
        route(
            Method::POST,
            "/admin/surveys/{id}/updates/{update}/delete",
            Admin,
            post(updates_pages::delete),
        ),
        route(
            Method::GET,
            "/admin/publish",
            Admin,
            get(pages::publish_form),
        ),
        route(
            Method::POST,
            "/admin/publish",
            Admin,
            post(pages::publish_upload),
        )
        .taking_definitions(),
        route(Method::GET, "/admin/erase", Admin, get(pages::erase_form)),
        route(Method::POST, "/admin/erase", Admin, post(pages::erase)),
        route(Method::GET, "/admin/audit", Admin, get(pages::audit)),
        route(
            Method::GET,
            "/admin/accounts",
            Admin,
            get(accounts::accounts),
        ),
        route(
            Method::POST,
            "/admin/accounts/users",
            Admin,
            post(accounts::save_user),
        ),
        route(
            Method::POST,
            "/admin/accounts/users/remove",
            Admin,
            post(accounts::remove_user),
        ),
        route(
            Method::POST,
            "/admin/accounts/tokens",
            Admin,
            post(accounts::create_token),
        ),
        route(
            Method::POST,
            "/admin/accounts/tokens/revoke",
            Admin,
            post(accounts::revoke_token),
        ),
        route(
            Method::POST,
            "/admin/accounts/collections/revoke",
            Admin,
            post(accounts::revoke_collection),
        ),
        route(
            Method::GET,
            "/api/admin/surveys",
            Staff,
            get(api::list_surveys),
        ),
        route(
            Method::PUT,
            "/api/admin/surveys/{id}",
            Admin,
            put(api::publish),
        )
        .taking_definitions(),
        route(
            Method::GET,
            "/api/admin/surveys/{id}/outcomes",
            Staff,
            get(api::outcomes),
        ),
        route(
            Method::PUT,
            "/api/admin/surveys/{id}/outcomes",
            Admin,
            put(api::put_outcomes),
        )
        .taking_updates(),
        route(
            Method::GET,
            "/api/admin/surveys/{id}/responses",
            Staff,
            get(download::download),
        ),
        route(
            Method::PUT,
            "/api/admin/surveys/{id}/population",
            Admin,
            put(api::put_population),
        )
        .taking_figures(),
        route(
            Method::PUT,
            "/api/admin/surveys/{id}/pictures/{file}",
            Admin,
            put(api::put_picture),
        )
        .taking_figures(),
        route(
            Method::GET,
            "/api/admin/surveys/{id}/summary",
            Staff,
            get(summary_pages::download),
        ),
        route(
            Method::DELETE,
            "/api/admin/responses/{receipt}",
            Admin,
            delete(api::erase),
        ),
        route(Method::GET, "/api/admin/audit", Admin, get(api::audit)),
    ]
}

/// The staff routes, each behind the guard for its access level.
pub fn router(state: &AppState) -> Router<AppState> {
    table().into_iter().fold(Router::new(), |router, entry| {
        let layer = axum::middleware::from_fn_with_state((state.clone(), entry.access), guard);
        let limit = axum::extract::DefaultBodyLimit::max(entry.body_limit);
        router.route(entry.path, entry.handler.layer(limit).layer(layer))
    })
}
