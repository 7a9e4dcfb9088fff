// PagedReader (see paged_reader.hpp): an answer mapped to the search's error, and the end of re-reads.
#include "extractors/paged_reader.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace etl {

void PagedReader::check_answered(const HttpResponse& r, const std::string& url) const {
  if (r.refused) throw ApiRefusedError(r.error);
  if (r.status == 200) return;
  const std::string what = r.status == 0 ? r.error : fmt::format("HTTP {}", r.status);
  throw ApiError(fmt::format("{}: GET {}: {} after {} attempt(s)", endpoint_.failed, url, what, r.attempts));
}

void PagedReader::bad_body(const std::string& url, int rereads, const ParseError& e) const {
  if (rereads >= kMaxRereads)
    throw ApiError(fmt::format("invalid {} from GET {} after {} attempt(s): {}", endpoint_.response, url, rereads + 1,
                               e.what()));
  spdlog::warn("{}: invalid {} from GET {} ({}); requesting it again", municipality_, endpoint_.response, url, e.what());
}

}  // namespace etl
