// A replica-api process for tests: started on a free port, stopped and reaped on destruction.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace etl::test {

struct HttpReply {
  int status = 0;  // 0 when no answer came (connection failed or timed out)
  std::string body;
  std::string retry_after;  // the Retry-After header, if any
};

class ReplicaProcess {
 public:
  // Runs REPLICA_BIN --port 0 plus `extra_args`, e.g. {"--scale", "0.01", "--latency-ms", "200"}.
  // Throws when the replica does not report its port within 10 s.
  explicit ReplicaProcess(std::vector<std::string> extra_args = {});
  ~ReplicaProcess();
  ReplicaProcess(const ReplicaProcess&) = delete;
  ReplicaProcess& operator=(const ReplicaProcess&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Bodies of GET/POST `path` (with query), whatever the status.
  std::string get(const std::string& path) const;
  std::string post(const std::string& path) const;
  // Status, body and Retry-After of GET `path`; a fresh connection each call.
  HttpReply request(const std::string& path, int timeout_seconds = 30) const;

  // SIGTERM, then SIGKILL after 5 s; returns the exit code (-1 if killed). Idempotent.
  int stop();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_code_ = -1;
};

}  // namespace etl::test
