#include "extractors/curl_multi_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "etl/core/errors.hpp"
#include "etl/core/version.hpp"
#include "extractors/property_parser.hpp"
#include "local_http_server.hpp"
#include "tests/support/gzip.hpp"

namespace etl {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::LocalHttpServer;

HttpOptions fast_options() {
  HttpOptions o;
  o.max_in_flight = 8;
  o.timeout = 2000ms;
  o.connect_timeout = 1000ms;
  o.max_retries = 4;
  o.backoff_base = 10ms;
  o.backoff_cap = 50ms;
  return o;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Collects async responses; wait() blocks until n have arrived.
struct Collector {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<HttpResponse> responses;
  HttpClient::Callback callback() {
    return [this](HttpResponse r) {
      std::lock_guard lock(mu);
      responses.push_back(std::move(r));
      cv.notify_all();
    };
  }
  bool wait(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, timeout, [&] { return responses.size() >= n; });
  }
};

TEST(CurlMultiClient, PlainGetSendsUserAgentAndAcceptsGzip) {
  LocalHttpServer server;
  std::string agent, encoding;
  server.routes().Get("/ok", [&](const httplib::Request& req, httplib::Response& res) {
    agent = req.get_header_value("User-Agent");
    encoding = req.get_header_value("Accept-Encoding");
    res.set_content("{\"ok\":true}", "application/json");
  });
  server.start();
  CurlMultiClient client(fast_options());
  HttpResponse r = get_blocking(client, server.url("/ok"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"ok\":true}");
  EXPECT_EQ(r.attempts, 1);
  EXPECT_TRUE(r.error.empty());
  EXPECT_EQ(agent, std::string("propetl/") + kVersion);
  EXPECT_NE(encoding.find("gzip"), std::string::npos);
  HttpStats s = client.stats();
  EXPECT_EQ(s.requests, 1);
  EXPECT_EQ(s.retries, 0);
  EXPECT_EQ(s.bytes, 11);
}

TEST(CurlMultiClient, HangingRequestTimesOutAndIsRetried) {
  LocalHttpServer server;
  std::atomic<int> calls{0};
  server.routes().Get("/hang-once", [&](const httplib::Request&, httplib::Response& res) {
    if (calls++ == 0) std::this_thread::sleep_for(800ms);
    res.set_content("late but fine", "text/plain");
  });
  server.start();
  HttpOptions o = fast_options();
  o.timeout = 300ms;
  CurlMultiClient client(o);
  auto start = Clock::now();
  HttpResponse r = get_blocking(client, server.url("/hang-once"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_LT(seconds_since(start), 0.7);
  EXPECT_EQ(client.stats().errors, 1);
  EXPECT_EQ(client.stats().retries, 1);
}

TEST(CurlMultiClient, TimeoutAfterRetriesIsReported) {
  LocalHttpServer server;
  server.routes().Get("/hang", [&](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(600ms);
    res.set_content("x", "text/plain");
  });
  server.start();
  HttpOptions o = fast_options();
  o.timeout = 100ms;
  o.max_retries = 1;
  CurlMultiClient client(o);
  HttpResponse r = get_blocking(client, server.url("/hang"));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.error, "timeout");
  EXPECT_EQ(r.attempts, 2);
}

TEST(CurlMultiClient, RetryAfterDelaysTheRetry) {
  LocalHttpServer server;
  std::atomic<int> calls{0};
  server.routes().Get("/limited", [&](const httplib::Request&, httplib::Response& res) {
    if (calls++ == 0) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      return;
    }
    res.set_content("ok", "text/plain");
  });
  server.start();
  CurlMultiClient client(fast_options());
  auto start = Clock::now();
  HttpResponse r = get_blocking(client, server.url("/limited"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_GE(seconds_since(start), 1.0);
  EXPECT_EQ(client.stats().status_429, 1);
}

// A Retry-After beyond the cap is the API refusing us for longer than a run waits: this
// request and every later one end at once, `refused`, saying so (issue 33).
TEST(CurlMultiClient, RetryAfterBeyondTheCapRefusesAtOnce) {
  LocalHttpServer server;
  server.routes().Get("/limited", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "999999999");
  });
  server.start();
  CurlMultiClient client(fast_options());
  const auto start = Clock::now();
  const HttpResponse r = get_blocking(client, server.url("/limited"));
  EXPECT_LT(seconds_since(start), 2.0);
  EXPECT_TRUE(r.refused);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.error, "the API asks for a pause of 999999999 s (Retry-After), longer than the 300 s etl waits");
  EXPECT_TRUE(get_blocking(client, server.url("/limited")).refused);
  EXPECT_EQ(client.stats().requests, 1) << "the second request is not sent";
}

TEST(CurlMultiClient, ForbiddenIsRetriedAndCounted) {
  LocalHttpServer server;
  server.routes().Get("/forbidden", [](const httplib::Request&, httplib::Response& res) { res.status = 403; });
  server.routes().Get("/fine", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  server.start();
  HttpOptions o = fast_options();
  o.max_retries = 2;
  CurlMultiClient client(o);
  const HttpResponse r = get_blocking(client, server.url("/forbidden"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(client.stats().status_403, 3);
  EXPECT_FALSE(r.refused);
  EXPECT_EQ(get_blocking(client, server.url("/fine")).status, 200);
}

// Most of the last 64 answers 403: the API refuses this client, and every request from then
// on, queued or new, ends at once without being sent; a few 403s among other answers do not.
TEST(CurlMultiClient, SustainedForbiddenIsARefusal) {
  LocalHttpServer server;
  std::atomic<int> sent{0};
  server.routes().Get("/forbidden", [&](const httplib::Request&, httplib::Response& res) {
    ++sent;
    res.status = 403;
  });
  server.routes().Get("/fine", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  server.start();
  HttpOptions o = fast_options();
  o.max_retries = 0;
  o.refused_at_403s = 8;
  CurlMultiClient client(o);
  for (int i = 0; i < 20; ++i) {  // 7 answers of 403 among 20: under 8, not a refusal
    const HttpResponse r = get_blocking(client, server.url(i % 3 == 0 ? "/forbidden" : "/fine"));
    EXPECT_FALSE(r.refused) << i;
  }
  for (int i = 0; i < 10; ++i) get_blocking(client, server.url("/forbidden"));
  const int sent_before = sent.load();
  const HttpResponse late = get_blocking(client, server.url("/fine"));
  EXPECT_TRUE(late.refused);
  EXPECT_EQ(late.status, 0);
  EXPECT_NE(late.error.find("the API is refusing us"), std::string::npos) << late.error;
  EXPECT_EQ(sent.load(), sent_before);
}

// A body is limited while it is read, inflated bytes included: a 3 MB body, a streamed one
// without Content-Length and 2 MB of gzip inflating to 256 MB all end at the 2 MiB limit.
TEST(CurlMultiClient, BodiesOverTheLimitAbortTheTransfer) {
  LocalHttpServer server;
  const std::string big(3 << 20, 'x');
  const std::string bomb = test::gzip_of_zeros(std::size_t{256} << 20);
  server.routes().Get("/big", [&](const httplib::Request&, httplib::Response& res) { res.set_content(big, "text/plain"); });
  server.routes().Get("/streamed", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [&](std::size_t, httplib::DataSink& sink) {
      for (int i = 0; i < 48 && sink.is_writable(); ++i) sink.write(big.data(), 1 << 16);  // 3 MiB
      sink.done();
      return true;
    });
  });
  server.routes().Get("/bomb", [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(bomb, "application/json");
  });
  server.routes().Get("/small", [](const httplib::Request&, httplib::Response& res) { res.set_content("{}", "application/json"); });
  server.start();
  ASSERT_LT(bomb.size(), std::size_t{2} << 20);
  CurlMultiClient client(fast_options());
  for (const char* path : {"/big", "/streamed", "/bomb"}) {
    const HttpResponse r = get_blocking(client, server.url(path));
    EXPECT_EQ(r.status, 0) << path;
    EXPECT_EQ(r.error, "response body over 2097152 bytes") << path;
    EXPECT_EQ(r.attempts, 1) << path << ": the same body next time, not retried";
    EXPECT_TRUE(r.body.empty()) << path;
  }
  // A larger limit for a request that needs one.
  const HttpResponse page = get_blocking(client, server.url("/big"), RequestOptions(Priority::Normal, 4 << 20));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body.size(), big.size());
  EXPECT_EQ(get_blocking(client, server.url("/small")).status, 200);
}

TEST(CurlMultiClient, ServerErrorsAreRetriedUntilSuccess) {
  LocalHttpServer server;
  std::atomic<int> calls{0};
  server.routes().Get("/flaky", [&](const httplib::Request&, httplib::Response& res) {
    int n = calls++;
    if (n < 3) {
      res.status = n == 1 ? 503 : 500;
      return;
    }
    res.set_content("ok", "text/plain");
  });
  server.start();
  CurlMultiClient client(fast_options());
  HttpResponse r = get_blocking(client, server.url("/flaky"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(r.attempts, 4);
  HttpStats s = client.stats();
  EXPECT_EQ(s.requests, 4);
  EXPECT_EQ(s.retries, 3);
  EXPECT_EQ(s.errors, 3);
}

TEST(CurlMultiClient, PersistentServerErrorIsTheFinalAnswer) {
  LocalHttpServer server;
  server.routes().Get("/down", [](const httplib::Request&, httplib::Response& res) { res.status = 502; });
  server.start();
  HttpOptions o = fast_options();
  o.max_retries = 2;
  CurlMultiClient client(o);
  HttpResponse r = get_blocking(client, server.url("/down"));
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(r.attempts, 3);
}

TEST(CurlMultiClient, NotFoundAndBadRequestAreNeverRetried) {
  LocalHttpServer server;
  std::atomic<int> calls{0};
  server.routes().Get("/gone", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.status = 404;
  });
  server.routes().Get("/bad", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.status = 400;
  });
  server.start();
  CurlMultiClient client(fast_options());
  HttpResponse gone = get_blocking(client, server.url("/gone"));
  EXPECT_EQ(gone.status, 404);  // the pipeline's "removed"
  EXPECT_EQ(gone.attempts, 1);
  HttpResponse bad = get_blocking(client, server.url("/bad"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.attempts, 1);
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(client.stats().retries, 0);
}

TEST(CurlMultiClient, ConnectionRefusedIsRetriedThenReported) {
  int port;
  {
    LocalHttpServer server;  // find a free port, then close it
    server.start();
    port = std::stoi(server.url("").substr(std::string("http://127.0.0.1:").size()));
  }
  HttpOptions o = fast_options();
  o.max_retries = 2;
  CurlMultiClient client(o);
  HttpResponse r = get_blocking(client, "http://127.0.0.1:" + std::to_string(port) + "/x");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.error, "connection refused");
  EXPECT_EQ(r.attempts, 3);
}

TEST(CurlMultiClient, ReusesKeepAliveConnections) {
  LocalHttpServer server;
  std::mutex mu;
  std::set<int> client_ports;
  server.routes().Get("/k", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    client_ports.insert(req.remote_port);
    res.set_content("k", "text/plain");
  });
  server.start();
  CurlMultiClient client(fast_options());
  for (int i = 0; i < 20; ++i) ASSERT_EQ(get_blocking(client, server.url("/k")).status, 200);
  EXPECT_EQ(client_ports.size(), 1u);  // 20 sequential requests, one TCP connection
}

// The server counts requests being handled at once; the client must fill but not exceed its limit.
int max_concurrency_seen(int max_in_flight, int requests) {
  LocalHttpServer server;
  std::atomic<int> now{0}, peak{0};
  server.routes().Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
    int n = ++now;
    int p = peak.load();
    while (n > p && !peak.compare_exchange_weak(p, n)) {
    }
    std::this_thread::sleep_for(150ms);
    --now;
    res.set_content("s", "text/plain");
  });
  server.start();
  HttpOptions o = fast_options();
  o.max_in_flight = max_in_flight;
  CurlMultiClient client(o);
  Collector done;
  for (int i = 0; i < requests; ++i) client.get(server.url("/slow"), done.callback(), Priority::Normal);
  EXPECT_TRUE(done.wait(requests, 10s));
  for (const auto& r : done.responses) EXPECT_EQ(r.status, 200);
  return peak.load();
}

TEST(CurlMultiClient, KeepsMaxInFlightTransfersRunning) {
  EXPECT_EQ(max_concurrency_seen(8, 40), 8);
  EXPECT_EQ(max_concurrency_seen(3, 9), 3);
}

TEST(CurlMultiClient, MaxRpsPacesRequests) {
  LocalHttpServer server;
  server.routes().Get("/r", [](const httplib::Request&, httplib::Response& res) { res.set_content("r", "text/plain"); });
  server.start();
  HttpOptions o = fast_options();
  o.max_rps = 20;
  CurlMultiClient client(o);
  Collector done;
  auto start = Clock::now();
  for (int i = 0; i < 11; ++i) client.get(server.url("/r"), done.callback(), Priority::Normal);
  ASSERT_TRUE(done.wait(11, 5s));
  // One token at start, then one per 50 ms: the 11th request starts after >= 0.5 s.
  EXPECT_GE(seconds_since(start), 0.45);
  EXPECT_LT(seconds_since(start), 1.5);
}

TEST(CurlMultiClient, UrgentRequestsStartBeforeQueuedNormalOnes) {
  LocalHttpServer server;
  std::mutex mu;
  std::vector<std::string> started;
  server.routes().Get(R"(/(\w+))", [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lock(mu);
      started.push_back(req.matches[1]);
    }
    std::this_thread::sleep_for(50ms);
    res.set_content("x", "text/plain");
  });
  server.start();
  HttpOptions o = fast_options();
  o.max_in_flight = 1;
  CurlMultiClient client(o);
  Collector done;
  for (int i = 0; i < 5; ++i) client.get(server.url("/normal"), done.callback(), Priority::Normal);
  std::this_thread::sleep_for(20ms);  // the first normal one is in flight, four are queued
  client.get(server.url("/urgent"), done.callback(), Priority::Urgent);
  ASSERT_TRUE(done.wait(6, 5s));
  std::lock_guard lock(mu);
  ASSERT_EQ(started.size(), 6u);
  EXPECT_EQ(started[0], "normal");
  EXPECT_EQ(started[1], "urgent");
}

TEST(CurlMultiClient, CancelAllCompletesEverythingPromptly) {
  LocalHttpServer server;
  server.routes().Get("/hang", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(500ms);
    res.set_content("x", "text/plain");
  });
  server.start();
  HttpOptions o = fast_options();
  o.max_in_flight = 2;
  CurlMultiClient client(o);
  Collector done;
  for (int i = 0; i < 6; ++i) client.get(server.url("/hang"), done.callback(), Priority::Normal);  // 2 in flight, 4 queued
  std::this_thread::sleep_for(100ms);
  auto start = Clock::now();
  client.cancel_all();
  ASSERT_TRUE(done.wait(6, 1s));
  EXPECT_LT(seconds_since(start), 0.1);
  for (const auto& r : done.responses) {
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(r.cancelled);
  }
  // Requests after cancel_all are cancelled too.
  HttpResponse late = get_blocking(client, server.url("/hang"));
  EXPECT_TRUE(late.cancelled);
}

TEST(CurlMultiClient, DestructorCancelsAndJoinsPromptly) {
  LocalHttpServer server;
  server.routes().Get("/hang", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(500ms);
    res.set_content("x", "text/plain");
  });
  server.start();
  Collector done;
  auto client = std::make_unique<CurlMultiClient>(fast_options());
  for (int i = 0; i < 20; ++i) client->get(server.url("/hang"), done.callback(), Priority::Normal);
  std::this_thread::sleep_for(100ms);
  auto start = Clock::now();
  client.reset();
  EXPECT_LT(seconds_since(start), 0.1);
  ASSERT_EQ(done.responses.size(), 20u);
  for (const auto& r : done.responses) EXPECT_TRUE(r.cancelled);
}

TEST(CurlMultiClient, MalformedJsonBodyIsAParseErrorNotACrash) {
  LocalHttpServer server;
  server.routes().Get("/addresses/broken", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"addressID":"broken","buildings":[{"yearBuilt":19)", "application/json");
  });
  server.start();
  CurlMultiClient client(fast_options());
  HttpResponse r = get_blocking(client, server.url("/addresses/broken"));
  ASSERT_EQ(r.status, 200);
  PropertyParser parser;
  EXPECT_THROW(parser.parse(r.body), ParseError);
}

TEST(CurlMultiClient, CallbacksMayQueueMoreWork) {
  LocalHttpServer server;
  server.routes().Get("/n", [](const httplib::Request&, httplib::Response& res) { res.set_content("n", "text/plain"); });
  server.start();
  CurlMultiClient client(fast_options());
  std::promise<int> finished;
  std::function<void(int)> chain = [&](int left) {
    client.get(server.url("/n"), [&, left](HttpResponse r) {
      if (r.status != 200 || left == 0) {
        finished.set_value(left);
      } else {
        chain(left - 1);
      }
    }, Priority::Normal);
  };
  chain(10);
  auto f = finished.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(f.get(), 0);
}

}  // namespace
}  // namespace etl
