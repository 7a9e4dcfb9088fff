// How a page of the API's paged searches (the address search, the case search) is read: an
// answer other than 200 becomes the search's error, and a 200 whose body is unusable is asked
// for again a bounded number of times (the HTTP client retries timeouts and 5xx, never a 200).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "etl/core/errors.hpp"
#include "extractors/http_client.hpp"

namespace etl {

// One paged endpoint: what its requests are counted as, how big a page may be, and what its
// messages call it.
struct PagedEndpoint {
  const char* metric;          // RequestOptions::endpoint
  std::size_t max_body_bytes;  // far more than a full page is an API gone wrong
  const char* failed;          // an unanswered request: "<failed>: GET <url>: HTTP 503 after 5 attempt(s)"
  const char* response;        // an unusable body: "invalid <response> from GET <url> ..."
};

// 50-100 addresses of ~12 KB each.
inline constexpr PagedEndpoint kAddressSearch{"search_addresses", 16 << 20, "search request failed", "search response"};
// 500 cases of up to ~50 KB each (the case with its full address, as in the real fixture).
inline constexpr PagedEndpoint kCaseSearch{"search_cases", 64 << 20, "case search failed", "case search response"};

class PagedReader {
 public:
  // A 200 whose body cannot be read is asked for again this many times: a transient bad
  // body must not lose a page.
  static constexpr int kMaxRereads = 3;

  // `municipality` names the search in the log.
  PagedReader(HttpClient& http, PagedEndpoint endpoint, std::string municipality)
      : http_(http), endpoint_(endpoint), municipality_(std::move(municipality)) {}

  // Urgent: search pages feed the fetchers and must not wait behind detail requests.
  RequestOptions request() const { return {Priority::Urgent, endpoint_.max_body_bytes, endpoint_.metric}; }

  // Throws unless `url` was answered 200: ApiRefusedError when the API refuses us, else ApiError.
  void check_answered(const HttpResponse& r, const std::string& url) const;

  // The body of `url` could not be read (`e`) after `rereads` re-reads: throws ApiError when
  // that was the last, else logs that it is asked for again.
  void bad_body(const std::string& url, int rereads, const ParseError& e) const;

  // Blocking: GETs `url` until `parse(body)` reads it (a ParseError is an unusable body),
  // counting every request in `requests`; returns what `parse` returned.
  template <class Parse>
  auto read(const std::string& url, std::int64_t& requests, Parse&& parse) {
    for (int rereads = 0;; ++rereads) {
      ++requests;
      const HttpResponse r = get_blocking(http_, url, request());
      check_answered(r, url);
      try {
        return parse(r.body);
      } catch (const ParseError& e) {
        bad_body(url, rereads, e);
      }
    }
  }

 private:
  HttpClient& http_;
  const PagedEndpoint endpoint_;
  std::string municipality_;
};

}  // namespace etl
