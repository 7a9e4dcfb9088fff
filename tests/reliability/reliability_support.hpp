// Helpers shared by the reliability suite (issue 8): run the real `etl` binary against a
// replica-api, against SQLite files or the shared PostgreSQL test server.
#pragma once

#include <chrono>
#include <thread>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/replica_process.hpp"

namespace etl::test {

// argv of `etl run` against `api_url` into `db_url`, quiet, plus `extra`.
std::vector<std::string> etl_run_argv(const std::string& api_url, const std::string& db_url,
                                      const std::vector<std::string>& extra);

// `--municipality NAME` for each name.
std::vector<std::string> municipality_flags(const std::vector<std::string>& names);

// address_id of the pending (unresolved) etl_failures rows, with their stage and reason.
struct FailureRow {
  std::string address_id, stage, reason;
};
std::vector<FailureRow> pending_failures(const std::string& db_url);

// address_id of every properties row.
std::set<std::string> property_ids(const std::string& db_url);

// Whether a TCP socket listening on `port` is bound to 127.0.0.1 only (from /proc/net/tcp
// and /proc/net/tcp6): true when every listener on the port has local address 127.0.0.1.
// Throws when there is no listener on the port.
bool listens_on_loopback_only(int port);

// A TCP port free right now on 127.0.0.1.
int free_port();

// Milliseconds since `start`.
inline std::int64_t elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

// Wait until `pred()` or `timeout`; returns pred()'s last value.
template <class Pred>
bool wait_until(Pred pred, std::chrono::milliseconds timeout, std::chrono::milliseconds step = std::chrono::milliseconds(50)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(step);
  }
  return pred();
}

}  // namespace etl::test
