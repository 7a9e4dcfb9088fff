#include "replica/api_routes.hpp"

#include <string>
#include <variant>

#include "replica/json_writer.hpp"
#include "replica/search_query.hpp"

namespace replica {
namespace {

// With the charset, cpp-httplib does not compress: its brotli, picked whenever a client
// accepts "br" (libcurl does), would cut throughput by ~40x.
constexpr const char* kJson = "application/json; charset=utf-8";

void send_json(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.body = std::move(body);
  res.set_header("Content-Type", kJson);
}

void send_error(httplib::Response& res, int status, std::string_view message) {
  JsonWriter w;
  w.begin_object().field("status", status).field("message", message).end_object();
  send_json(res, status, w.take());
}

// Runs `produce` for an API request behind the fault plan of its attempt.
template <class Produce>
void serve_api(Services& s, Endpoint endpoint, const httplib::Request& req, httplib::Response& res,
               Produce&& produce) {
  Stats::InFlight in_flight(s.stats);
  const FaultPlan plan = s.faults.plan(req.target);
  if (!s.faults.admit()) {
    res.set_header("Retry-After", "1");
    send_error(res, 429, "too many requests");
  } else if (!s.shutdown.sleep_for(plan.delay) ||
             (plan.fault == Fault::hang && !s.shutdown.sleep_for(FaultInjector::kHang))) {
    send_error(res, 503, "shutting down");
  } else if (plan.fault == Fault::error) {
    send_error(res, plan.error_status, "injected failure");
  } else {
    produce(res);
    if (plan.fault == Fault::malformed && res.status == 200) {
      res.body = FaultInjector::malform(std::move(res.body), plan.malform_kind);
    }
  }
  s.stats.record(endpoint, res.status);
}

void search(Services& s, const httplib::Request& req, httplib::Response& res) {
  const auto parsed = parse_search_query(req, s.max_pages);
  if (const auto* error = std::get_if<QueryError>(&parsed)) {
    send_error(res, 400, error->message);
    return;
  }
  const SearchPage page = s.dataset.search(std::get<SearchQuery>(parsed));
  std::size_t size = 64;
  for (const auto& a : page.addresses) size += a.size() + 1;
  std::string body;
  body.reserve(size);
  body += "{\"totalHits\":" + std::to_string(page.total_hits) + ",\"addresses\":[";
  for (std::size_t i = 0; i < page.addresses.size(); ++i) {
    if (i > 0) body.push_back(',');
    body += page.addresses[i];
  }
  body += "]}";
  send_json(res, 200, std::move(body));
}

void detail(Services& s, const httplib::Request& req, httplib::Response& res) {
  if (auto payload = s.dataset.address(req.matches[1].str())) {
    send_json(res, 200, std::move(*payload));
  } else {
    send_error(res, 404, "address not found");
  }
}

}  // namespace

void register_routes(httplib::Server& server, Services& s) {
  server.Get("/healthz", [&s](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_content("ok", "text/plain");
    s.stats.record(Endpoint::other, res.status);
  });
  // The stats endpoints are not counted, so reading them does not change them.
  server.Get("/__stats", [&s](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, s.stats.to_json());
  });
  server.Post("/__stats/reset", [&s](const httplib::Request&, httplib::Response& res) {
    s.stats.reset();
    send_json(res, 200, s.stats.to_json());
  });
  server.Get("/search/addresses", [&s](const httplib::Request& req, httplib::Response& res) {
    serve_api(s, Endpoint::search, req, res, [&](httplib::Response& r) { search(s, req, r); });
  });
  server.Get("/addresses/([^/]+)", [&s](const httplib::Request& req, httplib::Response& res) {
    serve_api(s, Endpoint::detail, req, res, [&](httplib::Response& r) { detail(s, req, r); });
  });
  server.Get(".*", [&s](const httplib::Request&, httplib::Response& res) {
    send_error(res, 404, "no such endpoint");
    s.stats.record(Endpoint::other, res.status);
  });
}

}  // namespace replica
