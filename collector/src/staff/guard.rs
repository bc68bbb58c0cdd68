//! Who is asking for a staff route, and whether they may: bearer tokens,
//! session cookies, roles and cross-site request checks, applied per route
//! from the table in [`super::routes`].

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::credentials::digest;
use super::html::AsPage;
use super::sessions;
use crate::AppState;
use crate::error::ApiError;
use crate::store::Role;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: the sign-in page.
    Public,
    /// Any signed-in account, an interviewer's too: signing out, and collecting (whose
    /// handlers check the interviewer's surveys).
    Signed,
    /// Any signed-in member of staff who sees data (analyst or admin), not an interviewer.
    Staff,
    /// Admins only.
    Admin,
}

/// The member of staff behind a request, put in the request's extensions by [`guard`].
#[derive(Debug, Clone)]
pub struct Staff {
    pub name: String,
    pub role: Role,
    /// An interviewer's surveys (see [`crate::store::StaffUser::may_collect`]).
    pub surveys: Vec<String>,
    /// The session's CSRF token; `None` for a bearer token, which a browser never sends by itself.
    pub csrf: Option<String>,
}

impl Staff {
    /// Whether this account may record responses for `survey_id` with someone.
    pub fn may_collect(&self, survey_id: &str) -> bool {
        self.role.may_collect(&self.surveys, survey_id)
    }

    /// Checks the CSRF token a form sent back.
    pub fn check_csrf(&self, sent: &str) -> Result<(), ApiError> {
        match &self.csrf {
            None => Ok(()),
            // Digests compared: equal-length, and nothing learned from timing.
            Some(expected) if digest(expected) == digest(sent) => Ok(()),
            Some(_) => Err(ApiError::Forbidden(
                "this form has expired or did not come from this site; go back, reload the page and try again".into(),
            )),
        }
    }
}

/// Cookie names: `__Host-` names behind TLS, which browsers only accept
/// with `Secure`, `Path=/` and no `Domain`.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-voices-session"
    } else {
        "voices-session"
    }
}

pub fn sign_in_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-voices-sign-in"
    } else {
        "voices-sign-in"
    }
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value for a staff cookie (`max_age` 0 deletes it).
pub fn set_cookie(name: &str, value: &str, secure: bool, max_age: Option<u64>) -> HeaderValue {
    let mut cookie = cookie::Cookie::build((name.to_owned(), value.to_owned()))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(cookie::SameSite::Strict);
    if let Some(seconds) = max_age {
        cookie = cookie.max_age(cookie::time::Duration::seconds(
            i64::try_from(seconds).unwrap_or(i64::MAX),
        ));
    }
    HeaderValue::from_str(&cookie.build().to_string())
        .unwrap_or_else(|_| HeaderValue::from_static("voices-invalid=; Path=/; Max-Age=0"))
}

fn is_api(request: &Request) -> bool {
    request.uri().path().starts_with("/api/")
}

/// Finds the member of staff behind a request, if any. Its store reads run
/// off the async threads, like every handler's.
async fn identify(state: &AppState, headers: &HeaderMap) -> Result<Option<Staff>, ApiError> {
    if let Some(authorization) = headers.get(header::AUTHORIZATION) {
        let token = authorization
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                ApiError::Unauthorized(
                    "the Authorization header must be \"Bearer TOKEN\", with a token from `voices-collector token create`".into(),
                )
            })?;
        let wanted = digest(token);
        let found = state
            .with_store(move |store| Ok(store.token_by_hash(&wanted)?))
            .await?;
        return match found {
            Some(token) => Ok(Some(Staff {
                name: token.name,
                role: token.role,
                surveys: Vec::new(),
                csrf: None,
            })),
            None => Err(ApiError::Unauthorized(
                "this bearer token is not valid: it was revoked, or mistyped".into(),
            )),
        };
    }
    let secure = state.config().secure_cookies;
    let Some(secret) = cookie(headers, session_cookie_name(secure)) else {
        return Ok(None);
    };
    // The store failing is 503 (the `?`), not "signed out": a sign-in page would only
    // send the person round in a loop until the store is back.
    let secret = secret.to_owned();
    let found = state
        .with_store(move |store| {
            let now = time::OffsetDateTime::now_utc();
            let Some(session) = sessions::find(store.as_ref(), &secret, now)? else {
                return Ok(None);
            };
            // The account may have been removed or changed since signing in.
            match store.user(&session.user)? {
                Some(user) => Ok(Some((session, user))),
                None => {
                    sessions::end(store.as_ref(), &secret)?;
                    Ok(None)
                }
            }
        })
        .await?;
    let Some((session, user)) = found else {
        return Ok(None);
    };
    Ok(Some(Staff {
        name: user.name,
        role: user.role,
        surveys: user.surveys,
        csrf: Some(session.csrf),
    }))
}

/// Whether an `Origin` header, when sent, names this very site.
fn same_origin(headers: &HeaderMap, behind_proxy: bool) -> bool {
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => crate::origin::is_own_origin(origin, headers, behind_proxy),
        // Browsers send Origin on every cross-site POST; a request without one
        // is not a cross-site form post.
        None => true,
    }
}

/// Refuses a request that is not signed in, lacks the route's role, or (with
/// a session) changes something without proof it came from our own pages.
pub async fn guard(
    State((state, access)): State<(AppState, Access)>,
    mut request: Request,
    next: Next,
) -> Response {
    let api = is_api(&request);
    let mut response = match admit(&state, access, api, &mut request).await {
        Ok(()) => next.run(request).await,
        Err(Refusal::SignInFirst) => Redirect::to("/admin/sign-in").into_response(),
        Err(Refusal::Error(error)) if api => error.into_response(),
        Err(Refusal::Error(error)) => AsPage(error).into_response(),
    };
    protect(response.headers_mut());
    response
}

/// Why a request is turned away.
enum Refusal {
    /// A person without a session: off to the sign-in page.
    SignInFirst,
    Error(ApiError),
}

/// Puts the [`Staff`] behind the request in its extensions, or says why not.
async fn admit(
    state: &AppState,
    access: Access,
    api: bool,
    request: &mut Request,
) -> Result<(), Refusal> {
    let refuse = Refusal::Error;
    if access == Access::Public {
        return Ok(());
    }
    let staff = match identify(state, request.headers()).await {
        Ok(Some(staff)) => staff,
        Ok(None) if api => {
            return Err(refuse(ApiError::Unauthorized(
                "sign in on /admin, or send Authorization: Bearer TOKEN".into(),
            )));
        }
        Ok(None) => return Err(Refusal::SignInFirst),
        Err(error) => return Err(refuse(error)),
    };
    if access != Access::Signed && staff.role == Role::Interviewer {
        return Err(refuse(ApiError::Forbidden(format!(
            "{} has the interviewer role, which records responses with people on /admin/collect and nothing else",
            staff.name
        ))));
    }
    if access == Access::Admin && staff.role != Role::Admin {
        return Err(refuse(ApiError::Forbidden(format!(
            "{} has the analyst role; this needs an admin",
            staff.name
        ))));
    }
    let changes = !matches!(*request.method(), Method::GET | Method::HEAD);
    if changes && staff.csrf.is_some() {
        if !same_origin(request.headers(), state.config().behind_proxy) {
            return Err(refuse(ApiError::Forbidden(
                "this request came from another site".into(),
            )));
        }
        // Scripts on our own pages would send the token in a header; forms
        // send it as a field, which their handlers check.
        if api {
            let sent = request
                .headers()
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            staff.check_csrf(sent).map_err(refuse)?;
        }
    }
    request.extensions_mut().insert(staff);
    Ok(())
}

/// Staff responses are never cached, framed, sniffed or referred to other sites.
fn protect(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Not `no-referrer`: under it Chromium sends `Origin: null` on form posts,
    // and the origin check above needs the real one. Nothing leaves the site.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The collect page runs the widget and says so in a policy of its own.
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
}
