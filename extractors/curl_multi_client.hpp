// HttpClient on the libcurl multi interface: one event-loop thread keeps up to
// `max_in_flight` transfers running over reused keep-alive connections.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "extractors/http_client.hpp"
#include "extractors/retry_policy.hpp"

namespace etl {

struct HttpOptions {
  int max_in_flight = 12;  // --workers
  std::chrono::milliseconds timeout{10'000};
  std::chrono::milliseconds connect_timeout{5'000};
  int max_retries = RetryPolicy{}.max_retries;
  std::chrono::milliseconds backoff_base = RetryPolicy{}.base;
  std::chrono::milliseconds backoff_cap = RetryPolicy{}.cap;
  double max_rps = 0;       // 0 = unlimited; halves on 429 and 403, grows back additively
  bool insecure = false;    // skip TLS verification (--insecure)
  // When this many of the last 64 answers were 403 the API is taken to refuse this client:
  // every request from then on ends at once with `refused` (0 = never).
  int refused_at_403s = 32;
  // The longest pause a Retry-After may ask for. A server asking for more is refusing us
  // for longer than a run should wait: every request from then on ends with `refused`.
  std::chrono::seconds max_retry_after{300};
};

class CurlMultiClient final : public HttpClient {
 public:
  explicit CurlMultiClient(HttpOptions options);
  ~CurlMultiClient() override;  // cancels what is queued, waits for the loop to stop
  CurlMultiClient(const CurlMultiClient&) = delete;
  CurlMultiClient& operator=(const CurlMultiClient&) = delete;

  void get(std::string url, Callback done, RequestOptions request) override;
  HttpStats stats() const override;
  void cancel_all() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace etl
