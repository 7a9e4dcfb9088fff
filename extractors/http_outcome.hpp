// What became of a request, read once from its HttpResponse. Where a caller decides on it
// (the fetch stage, a search page, the API check before a run) it switches on the outcome
// without a default:, so a new outcome is a compile error there, not a silent failure.
#pragma once

#include <string>

#include "extractors/http_client.hpp"

namespace etl {

enum class HttpOutcome {
  ok,               // 200
  not_found,        // 404
  throttled,        // 403 or 429, after the retries: the API refusing us for now
  server_error,     // 5xx, after the retries
  other_status,     // any other status: a final answer (400, 410, a redirect, ...)
  transport_error,  // no answer: a timeout, a refused connection, a body over its limit (`error` says)
  cancelled,        // cancel_all() ended it: not an answer, and not a failure
  refused,          // not sent: the API refuses this client (HttpOptions::refused_at_403s)
};

// The outcome of an answer's status; 0 (no answer) is a transport error.
HttpOutcome status_outcome(long status);

HttpOutcome outcome(const HttpResponse& r);

// "HTTP 503", or what ended a request that got no answer ("timeout"): for failure messages.
std::string answer_text(const HttpResponse& r);

}  // namespace etl
