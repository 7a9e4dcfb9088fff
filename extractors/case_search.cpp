#include "extractors/case_search.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unordered_set>

#include "etl/core/errors.hpp"

namespace etl {
namespace {

// A 200 whose body cannot be read is asked for again this many times: the HTTP client does
// not retry a 200, and a transient bad body must not lose a page of listings.
constexpr int kMaxRereads = 3;

// 500 cases of up to ~50 KB each (the case with its full address, as in the real fixture).
constexpr std::size_t kCasePageBodyLimit = 64 << 20;

}  // namespace

// One page, read again when its body is unusable; throws ApiError when it cannot be had.
CasePage CaseSearch::read_page(const std::string& url, const std::string& municipality, CasePageParser& parser,
                               CaseSearchReport& report) {
  for (int attempt = 0;; ++attempt) {
    ++report.requests;
    const HttpResponse r =
        get_blocking(http_, url, RequestOptions(Priority::Urgent, kCasePageBodyLimit, "search_cases"));
    if (r.refused) throw ApiRefusedError(r.error);
    if (r.status != 200) {
      const std::string what = r.status == 0 ? r.error : fmt::format("HTTP {}", r.status);
      throw ApiError(fmt::format("case search failed: GET {}: {} after {} attempt(s)", url, what, r.attempts));
    }
    try {
      return parser.parse(r.body);
    } catch (const ParseError& e) {
      if (attempt >= kMaxRereads)
        throw ApiError(fmt::format("invalid case search response from GET {} after {} attempt(s): {}", url,
                                   attempt + 1, e.what()));
      spdlog::warn("{}: invalid case search response from GET {} ({}); requesting it again", municipality, url,
                   e.what());
    }
  }
}

CaseSearchReport CaseSearch::list(const Municipality& municipality, const PageCallback& on_page) {
  CaseSearchReport report;
  report.municipality = municipality.name;
  SearchQuery q;
  q.municipality = municipality.name;
  q.address_type = options_.address_type;
  q.per_page = static_cast<int>(std::min<std::int64_t>(options_.per_page, options_.max_results));
  CasePageParser parser;
  std::unordered_set<std::string> seen;
  // Bounded whatever the API says: page 1 tells totalHits, and no more pages are read than
  // the result cap lets it serve.
  std::int64_t pages = 1;
  for (q.page = 1; q.page <= pages; ++q.page) {
    const std::string url = case_search_url(options_.base_url, q);
    CasePage page = read_page(url, municipality.name, parser, report);
    if (q.page == 1) {
      report.total_hits = page.total_hits;
      const std::int64_t readable = std::min(page.total_hits, options_.max_results / q.per_page * q.per_page);
      pages = std::max<std::int64_t>(1, (readable + q.per_page - 1) / q.per_page);
    }
    if (page.cases_without_id > 0)
      spdlog::warn("{}: {} listing(s) without a caseID or addressID skipped ({})", municipality.name,
                   page.cases_without_id, url);
    std::vector<ListedCase> fresh;
    for (ListedCase& c : page.cases) {
      if (seen.insert(c.case_id).second) fresh.push_back(std::move(c));
    }
    report.found += static_cast<std::int64_t>(fresh.size());
    if (!fresh.empty() && !on_page(std::move(fresh))) return report;  // stopped early: not complete
    if (page.cases.empty() && page.cases_without_id == 0) break;     // the API ran dry early
  }
  report.shortfall = std::max<std::int64_t>(0, report.total_hits - report.found);
  report.complete = report.shortfall == 0;
  return report;
}

}  // namespace etl
