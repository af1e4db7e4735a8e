//! One request for one page of the index, and what it brought.

use reqwest::StatusCode;
use reqwest::blocking::Client;
use reqwest::header::{IF_MODIFIED_SINCE, IF_NONE_MATCH};

use super::MAX_PAGE_BYTES;
use crate::sources::fetch::{ResponseHeaders, describe_transfer_error, read_body};

/// What one request brought.
pub(super) enum PageAnswer {
    /// No answer, or a body cut off or too large.
    Failed(String),
    NotModified,
    /// An error status.
    Status(StatusCode),
    Body {
        body: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// One request for the page at `start_at`, conditional when `validators` are given.
pub(super) fn request(
    client: &Client,
    url: &str,
    start_at: usize,
    validators: Option<(Option<String>, Option<String>)>,
    page_name: &str,
) -> PageAnswer {
    let criteria = serde_json::json!({
        "filters": [],
        "startAt": start_at,
        "sortings": [{"fieldName": "object.launch.dateOfLaunch_s1", "dir": "desc"}],
    })
    .to_string();
    let mut target = match reqwest::Url::parse(url) {
        Ok(target) => target,
        Err(error) => return PageAnswer::Failed(format!("{url} is not a URL: {error}")),
    };
    target.query_pairs_mut().append_pair("criteria", &criteria);
    let mut request = client.get(target);
    if let Some((etag, last_modified)) = validators {
        if let Some(etag) = etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(last_modified) = last_modified {
            request = request.header(IF_MODIFIED_SINCE, last_modified);
        }
    }
    let response = match request.send() {
        Ok(response) => response,
        Err(error) => return PageAnswer::Failed(describe_transfer_error(url, &error)),
    };
    let status = response.status();
    if status == StatusCode::NOT_MODIFIED {
        return PageAnswer::NotModified;
    }
    if !status.is_success() {
        return PageAnswer::Status(status);
    }
    let ResponseHeaders {
        etag,
        last_modified,
        content_length: expected,
    } = ResponseHeaders::of(&response);
    match read_body(
        response,
        page_name,
        expected,
        MAX_PAGE_BYTES,
        &mut |_, _| {},
    ) {
        Ok(body) => PageAnswer::Body {
            body,
            etag,
            last_modified,
        },
        Err(message) => PageAnswer::Failed(message),
    }
}
