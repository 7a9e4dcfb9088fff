// Injected faults are reproducible, retries can succeed, latency does not serialise
// requests, /__stats tells what happened, and shutdown does not wait for hangs.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "tests/replica/replica_json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/replica_process.hpp"

namespace etl::test {
namespace {

using Clock = std::chrono::steady_clock;

// IDs depend only on the seed, so a fault-free replica can list them for a faulty one.
std::vector<std::string> some_ids(const std::string& seed, std::size_t n) {
  ReplicaProcess clean({"--scale", "0.01", "--seed", seed});
  simdjson::dom::parser parser;
  std::vector<std::string> ids;
  for (const auto& item : raw_addresses(clean.get("/search/addresses?municipalities=K%C3%B8benhavn"))) {
    if (ids.size() == n) break;
    ids.emplace_back(parser.parse(simdjson::padded_string(item))["addressID"].get_string().value());
  }
  return ids;
}

std::vector<std::string> api_paths(const std::vector<std::string>& ids) {
  std::vector<std::string> paths;
  for (const auto& id : ids) paths.push_back("/addresses/" + id);
  for (int page = 1; page <= 3; ++page) {
    paths.push_back("/search/addresses?municipalities=K%C3%B8benhavn&per_page=10&page=" + std::to_string(page));
  }
  return paths;
}

bool is_valid_address(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(body)).get(doc) != simdjson::SUCCESS) return false;
  return doc["addressID"].is_string();
}

std::int64_t stat(const ReplicaProcess& replica, const char* group, const char* key) {
  simdjson::dom::parser parser;
  const auto doc = parser.parse(simdjson::padded_string(replica.get("/__stats")));
  std::int64_t v = 0;
  if (doc[group][key].get(v) != simdjson::SUCCESS) return 0;
  return v;
}

std::int64_t stat(const ReplicaProcess& replica, const char* key) {
  simdjson::dom::parser parser;
  return parser.parse(simdjson::padded_string(replica.get("/__stats")))[key].get_int64().value();
}

TEST(ReplicaFaults, TheSameSeedGivesTheSameFaults) {
  const auto paths = api_paths(some_ids("9", 12));
  const std::vector<std::string> args = {"--scale", "0.01", "--seed", "9", "--error-rate", "0.3", "--malformed-rate", "0.2"};
  const auto run = [&] {
    ReplicaProcess replica(args);
    std::vector<std::pair<int, std::string>> seen;
    for (int attempt = 0; attempt < 3; ++attempt) {
      for (const auto& path : paths) {
        HttpReply r = replica.request(path);
        seen.emplace_back(r.status, std::move(r.body));
      }
    }
    return seen;
  };
  const auto first = run();
  EXPECT_TRUE(first == run());
  int errors = 0, ok = 0, malformed = 0;
  for (const auto& [status, body] : first) {
    errors += status >= 500;
    ok += status == 200;
    if (status == 200 && body.rfind("{\"totalHits\"", 0) != 0) malformed += !is_valid_address(body);
  }
  EXPECT_GT(errors, 0);
  EXPECT_GT(ok, 0);
  EXPECT_GT(malformed, 0);
}

TEST(ReplicaFaults, ARetryOfTheSamePathCanSucceed) {
  const auto ids = some_ids("4", 5);
  ReplicaProcess replica({"--scale", "0.01", "--seed", "4", "--error-rate", "0.6"});
  for (const auto& id : ids) {
    int status = 0;
    for (int attempt = 0; attempt < 30 && status != 200; ++attempt) status = replica.request("/addresses/" + id).status;
    EXPECT_EQ(status, 200) << id;
  }
}

TEST(ReplicaFaults, MalformedBodiesAreNotValidAddresses) {
  const auto ids = some_ids("2", 20);
  ReplicaProcess replica({"--scale", "0.01", "--seed", "2", "--malformed-rate", "1"});
  for (const auto& id : ids) {
    const HttpReply r = replica.request("/addresses/" + id);
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(is_valid_address(r.body)) << r.body.substr(0, 120);
  }
}

TEST(ReplicaFaults, OverTheRateLimitAnswers429WithRetryAfter) {
  ReplicaProcess replica({"--scale", "0.01", "--rate-limit-rps", "5"});
  int limited = 0;
  for (int i = 0; i < 20; ++i) {
    const HttpReply r = replica.request("/search/addresses?municipalities=Ish%C3%B8j&per_page=1");
    if (r.status == 429) {
      ++limited;
      EXPECT_EQ(r.retry_after, "1");
    }
  }
  EXPECT_GE(limited, 10);
  EXPECT_EQ(replica.request("/healthz").status, 200) << "never limited";
  EXPECT_EQ(stat(replica, "status", "429"), limited);
}

TEST(ReplicaFaults, LatencyDoesNotSerialiseRequests) {
  const auto ids = some_ids("1", 16);
  ReplicaProcess replica({"--scale", "0.01", "--latency-ms", "200"});
  const auto start = Clock::now();
  std::vector<std::future<int>> replies;
  for (int i = 0; i < 128; ++i) {
    replies.push_back(std::async(std::launch::async, [&, i] {
      return replica.request("/addresses/" + ids[static_cast<std::size_t>(i) % ids.size()]).status;
    }));
  }
  for (auto& r : replies) EXPECT_EQ(r.get(), 200);
  const auto elapsed = Clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::milliseconds(1500));
  EXPECT_GE(elapsed, std::chrono::milliseconds(200));
  EXPECT_GE(stat(replica, "max_in_flight"), 64);
  EXPECT_EQ(stat(replica, "in_flight"), 0);
}

TEST(ReplicaFaults, StatsCountAndReset) {
  const auto ids = some_ids("1", 2);
  ReplicaProcess replica({"--scale", "0.01"});
  replica.post("/__stats/reset");
  replica.get("/search/addresses?municipalities=Ish%C3%B8j");
  replica.get("/search/addresses?municipalities=Ish%C3%B8j&page=999");
  replica.get("/addresses/" + ids[0]);
  replica.get("/addresses/" + ids[1]);
  replica.get("/addresses/00000000-0000-4000-8000-000000000000");
  replica.get("/healthz");
  replica.get("/search/cases?municipalities=Ish%C3%B8j");
  replica.get("/search/cases?municipalities=Ish%C3%B8j&per_page=501");
  replica.get("/search/cases?municipalities=Ish%C3%B8j&per_page=1");
  replica.get("/cases/00000000-0000-4000-8000-000000000000");
  replica.get("/municipalities");
  EXPECT_EQ(stat(replica, "requests", "search"), 2);
  EXPECT_EQ(stat(replica, "requests", "detail"), 3);
  EXPECT_EQ(stat(replica, "requests", "other"), 1);
  EXPECT_EQ(stat(replica, "requests", "search_cases"), 3);
  EXPECT_EQ(stat(replica, "requests", "case_detail"), 1);
  EXPECT_EQ(stat(replica, "requests", "municipalities"), 1);
  EXPECT_EQ(stat(replica, "status", "200"), 7);
  EXPECT_EQ(stat(replica, "status", "400"), 2);
  EXPECT_EQ(stat(replica, "status", "404"), 2);
  EXPECT_EQ(stat(replica, "max_in_flight"), 1);
  replica.post("/__stats/reset");
  EXPECT_EQ(stat(replica, "requests", "detail"), 0);
  EXPECT_EQ(stat(replica, "requests", "search_cases"), 0);
  EXPECT_EQ(stat(replica, "status", "200"), 0);
  EXPECT_EQ(stat(replica, "max_in_flight"), 0);
}

TEST(ReplicaFaults, ForbiddenRateAnswers403WithAJsonBodyReproducibly) {
  const auto paths = api_paths(some_ids("6", 12));
  const auto run = [&](const std::vector<std::string>& args) {
    ReplicaProcess replica(args);
    std::vector<int> statuses;
    for (int attempt = 0; attempt < 3; ++attempt) {
      for (const auto& path : paths) {
        const HttpReply r = replica.request(path);
        statuses.push_back(r.status);
        if (r.status == 403) {
          simdjson::dom::parser parser;
          EXPECT_TRUE(parser.parse(simdjson::padded_string(r.body))["message"].is_string()) << r.body;
        }
      }
    }
    EXPECT_EQ(stat(replica, "status", "403"), std::count(statuses.begin(), statuses.end(), 403));
    return statuses;
  };
  const std::vector<std::string> args = {"--scale", "0.01", "--seed", "6", "--forbidden-rate", "0.4"};
  const auto first = run(args);
  EXPECT_EQ(first, run(args));
  const auto forbidden = std::count(first.begin(), first.end(), 403);
  EXPECT_GT(forbidden, 5);
  EXPECT_GT(std::count(first.begin(), first.end(), 200), 5) << "a retry can succeed";
  EXPECT_EQ(forbidden + std::count(first.begin(), first.end(), 200), static_cast<std::ptrdiff_t>(first.size()));

  // Every API endpoint is behind the fault plan; /healthz and /__stats are not.
  ReplicaProcess all({"--scale", "0.01", "--forbidden-rate", "1"});
  for (const std::string path : {"/search/addresses?municipalities=Ish%C3%B8j", "/search/cases?municipalities=Ish%C3%B8j",
                                 "/cases/00000000-0000-4000-8000-000000000000", "/municipalities",
                                 "/addresses/00000000-0000-4000-8000-000000000000"}) {
    EXPECT_EQ(all.request(path).status, 403) << path;
  }
  EXPECT_EQ(all.request("/healthz").status, 200);
  EXPECT_EQ(all.request("/__stats").status, 200);
  ReplicaProcess failing({"--scale", "0.01", "--error-rate", "1"});
  for (const std::string path : {"/search/cases?municipalities=Ish%C3%B8j", "/cases/x", "/municipalities"}) {
    EXPECT_GE(failing.request(path).status, 500) << path;
  }
}

TEST(ReplicaFaults, TheRatesMayNotAddUpToMoreThanOne) {
  const auto start = [](std::vector<std::string> rates) {
    std::vector<std::string> argv = {REPLICA_BIN, "--scale", "0.01"};
    argv.insert(argv.end(), rates.begin(), rates.end());
    return run_process(argv, {}, std::chrono::seconds(10)).exit_code;
  };
  EXPECT_NE(start({"--error-rate", "0.6", "--forbidden-rate", "0.5"}), 0);
  EXPECT_NE(start({"--hang-rate", "0.3", "--malformed-rate", "0.3", "--forbidden-rate", "0.5"}), 0);
  EXPECT_NE(start({"--search-items", "fat"}), 0);
  EXPECT_NE(start({"--max-pages", "3"}), 0) << "replaced by --max-results";
}

TEST(ReplicaFaults, ShutdownDoesNotWaitForHangingRequests) {
  ReplicaProcess replica({"--scale", "0.01", "--hang-rate", "1"});
  auto hanging = std::async(std::launch::async, [&] {
    return replica.request("/search/addresses?municipalities=Ish%C3%B8j", 20).status;
  });
  while (stat(replica, "in_flight") == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto start = Clock::now();
  EXPECT_EQ(replica.stop(), 0);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(4));
  EXPECT_NE(hanging.get(), 200);
}

}  // namespace
}  // namespace etl::test
