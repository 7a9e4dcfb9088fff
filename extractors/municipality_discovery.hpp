// Finds every property ID of one municipality through the paged search, partitioning by
// zip code and then by price and area ranges when a query exceeds the API's result cap.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "etl/core/area_config.hpp"
#include "extractors/boligsiden_urls.hpp"
#include "extractors/http_client.hpp"

namespace etl {

// One search hit: its ID, the payload_hash of the address object as the search returned it,
// and that object's text (empty unless DiscoveryOptions::keep_payloads).
struct DiscoveredItem {
  std::string address_id;
  std::uint64_t hash = 0;
  std::string payload;
};

struct DiscoveryOptions {
  std::string base_url;            // e.g. https://api.boligsiden.dk
  std::string address_type = SearchQuery{}.address_type;  // empty: every address type
  int per_page = SearchQuery{}.per_page;
  // The API serves a query's results up to page x per_page <= this, and answers 400 beyond.
  std::int64_t max_results = 10'000;
  int concurrent_requests = 4;     // search pages fetched at once (each page is still streamed)
  // The most search requests one municipality may cost, whatever its totalHits says: all of
  // København's addresses of every type would need about 7,000 pages.
  std::int64_t max_requests = 20'000;
  // Each item's text as well as its hash: a run that stores search items needs them, one that
  // only compares hashes would copy ~4 KB an ID for nothing.
  bool keep_payloads = true;
};

struct DiscoveryReport {
  std::string municipality;
  std::int64_t total_hits = 0;     // totalHits of the unpartitioned query
  std::int64_t discovered = 0;     // distinct IDs emitted
  std::int64_t partitions = 0;     // queries paged (1 when no partitioning was needed)
  std::int64_t shortfall = 0;      // total_hits - distinct IDs found, if positive
  std::int64_t requests = 0;
  bool complete = false;           // every page was read and nothing is missing
  // String addressIDs that are not valid_api_id, escaped, each once (at most kMaxInvalidIds).
  std::vector<std::string> invalid_ids;
  static constexpr std::size_t kMaxInvalidIds = 100;
};

class MunicipalityDiscovery {
 public:
  using TotalCallback = std::function<void(std::int64_t total_hits)>;
  // Return false to stop discovery early (e.g. --limit reached, Ctrl-C).
  using PageCallback = std::function<bool(std::vector<DiscoveredItem>&& page)>;

  MunicipalityDiscovery(HttpClient& http, DiscoveryOptions options);

  // Blocking; streams IDs page by page, each ID once. Throws ApiError when the search
  // cannot be read at all (e.g. the API is unreachable).
  DiscoveryReport discover(const Municipality& municipality, const TotalCallback& on_total,
                           const PageCallback& on_page);

  // The search's totalHits for the municipality, with one request of one item (the evidence
  // that a name or address type finds nothing, where an empty list of listings is not).
  // Throws ApiError when it cannot be read.
  std::int64_t count(const Municipality& municipality);

 private:
  HttpClient& http_;
  DiscoveryOptions options_;
};

}  // namespace etl
