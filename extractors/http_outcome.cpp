// The one place an HTTP status is classified (http_outcome.hpp).
#include "extractors/http_outcome.hpp"

namespace etl {

HttpOutcome status_outcome(long status) {
  if (status == 0) return HttpOutcome::transport_error;
  if (status == 200) return HttpOutcome::ok;
  if (status == 404) return HttpOutcome::not_found;
  if (status == 403 || status == 429) return HttpOutcome::throttled;
  if (status >= 500) return HttpOutcome::server_error;
  return HttpOutcome::other_status;
}

// A cancelled or refused request never got an answer (its status is 0): its flag says why.
HttpOutcome outcome(const HttpResponse& r) {
  if (r.cancelled) return HttpOutcome::cancelled;
  if (r.refused) return HttpOutcome::refused;
  return status_outcome(r.status);
}

std::string answer_text(const HttpResponse& r) { return r.status ? "HTTP " + std::to_string(r.status) : r.error; }

}  // namespace etl
