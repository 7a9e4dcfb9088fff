// PagedReader (see paged_reader.hpp): an answer mapped to the search's error, and the end of re-reads.
#include "extractors/paged_reader.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "extractors/http_outcome.hpp"

namespace etl {

void PagedReader::check_answered(const HttpResponse& r, const std::string& url) const {
  switch (outcome(r)) {
    case HttpOutcome::ok:
      return;
    case HttpOutcome::refused:
      throw ApiRefusedError(r.error);
    case HttpOutcome::not_found:
    case HttpOutcome::throttled:
    case HttpOutcome::server_error:
    case HttpOutcome::other_status:
    case HttpOutcome::transport_error:
    case HttpOutcome::cancelled:
      break;
  }
  throw ApiError(fmt::format("{}: GET {}: {} after {} attempt(s)", endpoint_.failed, url, answer_text(r), r.attempts));
}

void PagedReader::bad_body(const std::string& url, int rereads, const ParseError& e) const {
  if (rereads >= kMaxRereads)
    throw ApiError(fmt::format("invalid {} from GET {} after {} attempt(s): {}", endpoint_.response, url, rereads + 1,
                               e.what()));
  spdlog::warn("{}: invalid {} from GET {} ({}); requesting it again", municipality_, endpoint_.response, url, e.what());
}

}  // namespace etl
