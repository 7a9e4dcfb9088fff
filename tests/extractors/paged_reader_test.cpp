// PagedReader, the one reader of the address and case searches' pages, over HTTP against a
// scripted server on 127.0.0.1: an unusable 200 is asked for again three times, every
// request is counted, and an answer other than 200 is the search's error.
#include "extractors/paged_reader.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "extractors/case_page.hpp"
#include "extractors/curl_multi_client.hpp"
#include "local_http_server.hpp"

namespace etl {
namespace {

using namespace std::chrono_literals;

HttpOptions no_retries() {
  HttpOptions o;
  o.max_retries = 0;
  o.timeout = 2s;
  return o;
}

// /cases answers a truncated page the first `bad_bodies` times, then a page of one case.
class FlakyPages {
 public:
  explicit FlakyPages(int bad_bodies) {
    server_.routes().Get("/cases", [this, bad_bodies](const httplib::Request&, httplib::Response& res) {
      if (++requests_ <= bad_bodies) {
        res.set_content(R"({"totalHits":1,"cases":[{"caseID")", "application/json");
        return;
      }
      res.set_content(R"({"totalHits":1,"cases":[{"caseID":"c","address":{"addressID":"a"}}]})", "application/json");
    });
    server_.routes().Get("/gone", [this](const httplib::Request&, httplib::Response& res) {
      ++requests_;
      res.status = 404;
    });
    server_.start();
  }
  std::string url(const std::string& path) const { return server_.url(path); }
  int requests() const { return requests_; }

 private:
  test::LocalHttpServer server_;
  std::atomic<int> requests_{0};
};

CasePage read(PagedReader& reader, const std::string& url, std::int64_t& requests) {
  CasePageParser parser;
  return reader.read(url, requests, [&](const std::string& body) { return parser.parse(body); });
}

TEST(PagedReader, AnUnusableBodyIsAskedForAgainThreeTimes) {
  FlakyPages api(PagedReader::kMaxRereads);
  CurlMultiClient http(no_retries());
  PagedReader reader(http, kCaseSearch, "Testrup");
  std::int64_t requests = 0;
  const CasePage page = read(reader, api.url("/cases"), requests);
  ASSERT_EQ(page.cases.size(), 1u);
  EXPECT_EQ(page.cases[0].case_id, "c");
  EXPECT_EQ(requests, 4);
  EXPECT_EQ(api.requests(), 4);
  EXPECT_EQ(http.stats().requests_by_endpoint.at("search_cases"), 4);
}

TEST(PagedReader, AFourthUnusableBodyIsTheSearchsError) {
  FlakyPages api(PagedReader::kMaxRereads + 1);
  CurlMultiClient http(no_retries());
  PagedReader reader(http, kCaseSearch, "Testrup");
  std::int64_t requests = 0;
  const std::string url = api.url("/cases");
  try {
    read(reader, url, requests);
    ADD_FAILURE() << "no ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("invalid case search response from GET " + url + " after 4 attempt(s): $", 0), 0u)
        << e.what();
  }
  EXPECT_EQ(requests, 4);
  EXPECT_EQ(api.requests(), 4);
}

TEST(PagedReader, AnAnswerOtherThan200IsAnApiErrorNamingTheEndpointAndUrl) {
  FlakyPages api(0);
  CurlMultiClient http(no_retries());
  std::int64_t requests = 0;
  PagedReader addresses(http, kAddressSearch, "Testrup");
  const std::string url = api.url("/gone");
  try {
    read(addresses, url, requests);
    ADD_FAILURE() << "no ApiError";
  } catch (const ApiRefusedError&) {
    ADD_FAILURE() << "a 404 is not a refusal";
  } catch (const ApiError& e) {
    EXPECT_STREQ(e.what(), ("search request failed: GET " + url + ": HTTP 404 after 1 attempt(s)").c_str());
  }
  EXPECT_EQ(requests, 1) << "an answer is never read again";
  EXPECT_EQ(api.requests(), 1);
  EXPECT_EQ(http.stats().requests_by_endpoint.at("search_addresses"), 1);
}

TEST(PagedReader, NoAnswerIsAnApiErrorWithTheTransportError) {
  CurlMultiClient http(no_retries());
  PagedReader cases(http, kCaseSearch, "Testrup");
  std::int64_t requests = 0;
  try {
    read(cases, "http://127.0.0.1:1/cases", requests);
    ADD_FAILURE() << "no ApiError";
  } catch (const ApiError& e) {
    EXPECT_STREQ(e.what(), "case search failed: GET http://127.0.0.1:1/cases: connection refused after 1 attempt(s)");
  }
}

TEST(PagedReader, TheApiRefusingUsIsApiRefusedError) {
  test::LocalHttpServer server;
  server.routes().Get("/cases", [](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "999999999");
  });
  server.start();
  CurlMultiClient http(no_retries());
  PagedReader cases(http, kCaseSearch, "Testrup");
  std::int64_t requests = 0;
  EXPECT_THROW(read(cases, server.url("/cases"), requests), ApiRefusedError);
}

// The address search re-reads asynchronously, page by page: the same decision, asked by itself.
TEST(PagedReader, TheLastReReadEndsInAnApiError) {
  CurlMultiClient http(no_retries());
  const PagedReader reader(http, kAddressSearch, "Testrup");
  const ParseError bad("$.totalHits", "missing");
  EXPECT_NO_THROW(reader.bad_body("http://h/p", PagedReader::kMaxRereads - 1, bad));
  try {
    reader.bad_body("http://h/p", PagedReader::kMaxRereads, bad);
    ADD_FAILURE() << "no ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("invalid search response from GET http://h/p after 4 attempt(s): ", 0), 0u)
        << e.what();
  }
}

}  // namespace
}  // namespace etl
