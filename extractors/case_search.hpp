// Lists every open listing (case) of one municipality through /search/cases, a few requests
// at 500 a page, with a stable sort; the distinct case IDs are counted against totalHits.
// This is what the nightly refresh diffs against the stored open cases.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "etl/core/area_config.hpp"
#include "extractors/case_page.hpp"
#include "extractors/http_client.hpp"
#include "extractors/municipality_discovery.hpp"

namespace etl {

struct CaseSearchOptions {
  std::string base_url;
  std::string address_type = SearchQuery{}.address_type;  // empty: every address type
  int per_page = 500;  // what working clients use
  std::int64_t max_results = DiscoveryOptions{}.max_results;
};

struct CaseSearchReport {
  std::string municipality;
  std::int64_t total_hits = 0;
  std::int64_t found = 0;      // distinct case IDs delivered
  std::int64_t requests = 0;
  std::int64_t shortfall = 0;  // total_hits - found, if positive: the caller records it as a failure
  bool complete = false;       // every open listing was delivered
};

class CaseSearch {
 public:
  // Return false to stop early (e.g. Ctrl-C).
  using PageCallback = std::function<bool(std::vector<ListedCase>&& page)>;

  CaseSearch(HttpClient& http, CaseSearchOptions options) : http_(http), options_(std::move(options)) {}

  // Blocking; each case once. Throws ApiError when the search cannot be read.
  CaseSearchReport list(const Municipality& municipality, const PageCallback& on_page);

 private:
  HttpClient& http_;
  CaseSearchOptions options_;
};

}  // namespace etl
