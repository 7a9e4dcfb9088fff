#include "replica/api_routes.hpp"

#include <string>
#include <variant>

#include "replica/hashing.hpp"
#include "replica/json_writer.hpp"
#include "replica/municipality_table.hpp"
#include "replica/search_query.hpp"

namespace replica {

std::uint32_t RequestCounter::next(const std::string& target) {
  const std::uint64_t key = hash_string(target);
  std::lock_guard lock(mutex_);
  return ++counts_[key];
}

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
  } else if (plan.fault == Fault::forbidden) {
    send_error(res, 403, "forbidden");
  } else {
    produce(res);
    if (plan.fault == Fault::malformed && res.status == 200) {
      res.body = FaultInjector::malform(std::move(res.body), plan.malform_kind);
    }
  }
  s.stats.record(endpoint, res.status);
}

// `{"totalHits": T, "<list>": [...]}`, the list null when there are no hits at all.
std::string page_body(const SearchPage& page, std::string_view list) {
  std::size_t size = 64;
  for (const auto& a : page.items) size += a.size() + 1;
  std::string body;
  body.reserve(size);
  body += "{\"totalHits\":" + std::to_string(page.total_hits) + ",\"";
  body += list;
  if (page.total_hits == 0 && list == "cases") return body + "\":null}";
  body += "\":[";
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    if (i > 0) body.push_back(',');
    body += page.items[i];
  }
  return body + "]}";
}

template <class Run>
void search(Services& s, const httplib::Request& req, httplib::Response& res, int max_per_page, Run&& run,
            std::string_view list) {
  auto parsed = parse_search_query(req, {max_per_page, s.max_results, &s.extra_address_types});
  if (const auto* error = std::get_if<QueryError>(&parsed)) {
    send_error(res, 400, error->message);
    return;
  }
  SearchQuery& q = std::get<SearchQuery>(parsed);
  q.shuffle_key = hash_of(s.seed, hash_string(req.target), s.searches.next(req.target), Salt::order);
  send_json(res, 200, page_body(run(q), list));
}

void detail(Services& s, const httplib::Request& req, httplib::Response& res) {
  if (auto payload = s.dataset.address(req.matches[1].str())) {
    send_json(res, 200, std::move(*payload));
  } else {
    send_error(res, 404, "address not found");
  }
}

void case_detail(Services& s, const httplib::Request& req, httplib::Response& res) {
  if (auto payload = s.dataset.case_by_id(req.matches[1].str())) {
    send_json(res, 200, std::move(*payload));
  } else {
    send_error(res, 404, "case not found");
  }
}

const std::string& municipalities_body() {
  static const std::string body = [] {
    JsonWriter w;
    w.begin_object().field("totalHits", municipality_table().size()).key("municipalities").begin_array();
    for (const auto& m : municipality_table()) {
      w.begin_object().field("municipalityCode", m.code).field("name", m.name).field("slug", m.slug).end_object();
    }
    w.end_array().end_object();
    return w.take();
  }();
  return body;
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
    serve_api(s, Endpoint::search, req, res, [&](httplib::Response& r) {
      search(s, req, r, kMaxPerPageAddresses, [&](const SearchQuery& q) { return s.dataset.search(q); }, "addresses");
    });
  });
  server.Get("/search/cases", [&s](const httplib::Request& req, httplib::Response& res) {
    serve_api(s, Endpoint::search_cases, req, res, [&](httplib::Response& r) {
      search(s, req, r, kMaxPerPageCases, [&](const SearchQuery& q) { return s.dataset.search_cases(q); }, "cases");
    });
  });
  server.Get("/addresses/([^/]+)", [&s](const httplib::Request& req, httplib::Response& res) {
    serve_api(s, Endpoint::detail, req, res, [&](httplib::Response& r) { detail(s, req, r); });
  });
  server.Get("/cases/([^/]+)", [&s](const httplib::Request& req, httplib::Response& res) {
    serve_api(s, Endpoint::case_detail, req, res, [&](httplib::Response& r) { case_detail(s, req, r); });
  });
  server.Get("/municipalities", [&s](const httplib::Request& req, httplib::Response& res) {
    serve_api(s, Endpoint::municipalities, req, res,
              [&](httplib::Response& r) { send_json(r, 200, municipalities_body()); });
  });
  server.Get(".*", [&s](const httplib::Request&, httplib::Response& res) {
    send_error(res, 404, "no such endpoint");
    s.stats.record(Endpoint::other, res.status);
  });
}

}  // namespace replica
