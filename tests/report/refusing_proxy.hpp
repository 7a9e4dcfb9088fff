// The one place a headless browser under test may send a request: a listener on 127.0.0.1
// that answers nothing and records every connection, so a test can assert none came.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace etl::test {

// Hosts chromium asks by itself whatever page it opens, the flags notwithstanding (component
// updates, sign-in); no page of ours names them (the report links only to boligsiden.dk).
bool browser_host(const std::string& request_line);

class RefusingProxy {
 public:
  RefusingProxy();  // listening on a free port
  ~RefusingProxy();
  RefusingProxy(const RefusingProxy&) = delete;
  RefusingProxy& operator=(const RefusingProxy&) = delete;

  int port() const { return port_; }
  // The first line each connection sent (e.g. "CONNECT example.com:443 HTTP/1.1").
  std::vector<std::string> requests() const;
  // Those not to chromium's own services (browser_host).
  std::vector<std::string> page_requests() const;

 private:
  void serve();
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace etl::test
