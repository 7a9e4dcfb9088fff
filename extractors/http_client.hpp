// Asynchronous HTTP GET with retries, the seam between the extractors and the network.
// Callbacks run on the client's own event-loop thread: keep them short (hand the result
// to a queue), never block in them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "extractors/api_endpoint.hpp"

namespace etl {

struct HttpResponse {
  long status = 0;        // HTTP status; 0 when no response arrived (see `error`)
  std::string body;
  std::string error;      // transport error after the last attempt ("timeout", "connection refused", ...)
  int attempts = 0;       // 1 + retries made
  bool cancelled = false; // cancel_all() ended it: not an answer, and not a failure
  bool refused = false;   // not sent: the API refuses this client (see HttpOptions::refused_at_403s)
};

struct HttpStats {
  std::int64_t requests = 0;  // every attempt sent
  std::int64_t retries = 0;
  std::int64_t status_429 = 0;
  std::int64_t status_403 = 0;
  std::int64_t errors = 0;    // attempts ending in a transport error or 5xx
  std::int64_t bytes = 0;     // response bytes received
  std::map<std::string, std::int64_t> requests_by_endpoint;  // attempts per RequestOptions::endpoint, by its name
  // Answered attempts per endpoint, then per HTTP status ("200", "404", ...; "error" for a
  // transport error or an over-long body): what a monitor graphs.
  std::map<std::string, std::map<std::string, std::int64_t>> answers_by_endpoint;
};

// Urgent requests start before every queued normal one: discovery's search pages, which
// feed the fetchers, must not wait behind a long queue of detail requests.
enum class Priority { Normal, Urgent };

// How one request is sent: its queue, and the most body bytes it may bring, counted after
// any gzip is inflated. A longer body aborts the transfer (error "response body over N
// bytes", not retried), so memory stays bounded by requests in flight x their limits.
// `endpoint` is what HttpStats counts the request as.
struct RequestOptions {
  static constexpr std::size_t kDetailBodyLimit = 2 << 20;  // an address payload (the parser takes 1 MiB)

  RequestOptions(Priority p = Priority::Normal, std::size_t max_body = kDetailBodyLimit,  // NOLINT: implicit
                 ApiEndpoint endpoint_counted = ApiEndpoint::other)
      : priority(p), max_body_bytes(max_body), endpoint(endpoint_counted) {}
  Priority priority;
  std::size_t max_body_bytes;
  ApiEndpoint endpoint;
};

class HttpClient {
 public:
  using Callback = std::function<void(HttpResponse)>;
  virtual ~HttpClient() = default;
  // Queues a GET; `done` is called exactly once, after retries are exhausted or a final answer.
  virtual void get(std::string url, Callback done, RequestOptions request) = 0;
  virtual HttpStats stats() const = 0;
  // Stops starting requests; queued and in-flight ones complete with `cancelled` set.
  virtual void cancel_all() = 0;
};

// Blocks the calling thread until the response arrives. For discovery and tools, never for
// the per-property fetch path.
HttpResponse get_blocking(HttpClient& client, std::string url, RequestOptions request = {});

}  // namespace etl
