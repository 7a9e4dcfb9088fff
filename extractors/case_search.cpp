#include "extractors/case_search.hpp"

#include <spdlog/spdlog.h>

#include <unordered_set>

#include "extractors/paged_reader.hpp"

namespace etl {

CaseSearchReport CaseSearch::list(const Municipality& municipality, const PageCallback& on_page) {
  CaseSearchReport report;
  report.municipality = municipality.name;
  SearchQuery q;
  q.municipality = municipality.name;
  q.address_type = options_.address_type;
  q.per_page = static_cast<int>(std::min<std::int64_t>(options_.per_page, options_.max_results));
  CasePageParser parser;
  PagedReader reader(http_, kCaseSearch, municipality.name);
  std::unordered_set<std::string> seen;
  // Bounded whatever the API says: page 1 tells totalHits, and no more pages are read than
  // the result cap lets it serve.
  std::int64_t pages = 1;
  for (q.page = 1; q.page <= pages; ++q.page) {
    const std::string url = case_search_url(options_.base_url, q);
    CasePage page = reader.read(url, report.requests, [&](const std::string& body) { return parser.parse(body); });
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
