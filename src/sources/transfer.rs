//! The transfer itself: reading a body within its cap and announced length, and saying in
//! words what went wrong with a request (timeouts found however deep they are wrapped).

use std::io::Read;

/// What a response's headers say about its body: the validators to send next time
/// (`ETag`, `Last-Modified`) and the announced length.
pub(crate) struct ResponseHeaders {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_length: Option<u64>,
}

impl ResponseHeaders {
    pub(crate) fn of(response: &reqwest::blocking::Response) -> Self {
        use reqwest::header::{CONTENT_LENGTH, ETAG, HeaderName, LAST_MODIFIED};
        let text = |name: HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        Self {
            etag: text(ETAG),
            last_modified: text(LAST_MODIFIED),
            content_length: text(CONTENT_LENGTH).and_then(|length| length.parse().ok()),
        }
    }
}

/// Reads a whole body in chunks, up to `cap` bytes and the announced length (`expected`).
pub(crate) fn read_body(
    mut response: reqwest::blocking::Response,
    url: &str,
    expected: Option<u64>,
    cap: u64,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Vec<u8>, String> {
    {
        let too_large = |bytes: u64| {
            format!(
                "the response from {url} is {bytes} bytes or more, over the {cap}-byte limit \
                 for a dataset"
            )
        };
        if let Some(expected) = expected
            && expected > cap
        {
            return Err(too_large(expected));
        }
        let capacity = expected.unwrap_or(1 << 20).min(cap);
        let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(1 << 20));
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            match response.read(&mut chunk) {
                Ok(0) => break,
                Ok(read) => {
                    body.extend_from_slice(&chunk[..read]);
                    if body.len() as u64 > cap {
                        return Err(too_large(body.len() as u64));
                    }
                    progress(body.len() as u64, expected);
                }
                Err(error) => {
                    let what = if is_timeout(&error) {
                        "timed out".to_owned()
                    } else {
                        format!("broke off ({error})")
                    };
                    return Err(format!(
                        "download of {url} {what} after {} bytes",
                        body.len()
                    ));
                }
            }
        }
        if let Some(expected) = expected
            && body.len() as u64 != expected
        {
            return Err(format!(
                "download of {url} incomplete: {} of {expected} bytes",
                body.len()
            ));
        }
        Ok(body)
    }
}

/// True when an error, or any error it wraps, is a timeout. (A body read that stalls surfaces
/// as "error decoding response body" with the timeout inside it.)
fn is_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error
            .downcast_ref::<reqwest::Error>()
            .is_some_and(reqwest::Error::is_timeout)
            || error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return true;
        }
        current = error.source();
    }
    false
}

pub(crate) fn describe_transfer_error(url: &str, error: &reqwest::Error) -> String {
    if is_timeout(error) {
        format!("request to {url} timed out")
    } else if error.is_connect() {
        format!("could not connect to {url}")
    } else {
        format!("request to {url} failed: {error}")
    }
}
