#include "tests/report/refusing_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace etl::test {

RefusingProxy::RefusingProxy() {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd_, 16) != 0 ||
      getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("cannot listen on 127.0.0.1");
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

RefusingProxy::~RefusingProxy() {
  stop_ = true;
  thread_.join();
  close(fd_);
}

bool browser_host(const std::string& request_line) {
  for (const char* host : {"update.googleapis.com", "accounts.google.com", "clients2.google.com"}) {
    // "CONNECT host:443 ..." or "GET http://host/... ..."
    const std::string h(host);
    if (request_line.find(" " + h + ":") != std::string::npos || request_line.find("://" + h + "/") != std::string::npos)
      return true;
  }
  return false;
}

std::vector<std::string> RefusingProxy::page_requests() const {
  std::vector<std::string> out;
  for (const std::string& r : requests())
    if (!browser_host(r)) out.push_back(r);
  return out;
}

std::vector<std::string> RefusingProxy::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void RefusingProxy::serve() {
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const int client = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    // What was asked for, to name it in the failure; then the connection is closed unanswered.
    std::string first(512, '\0');
    pollfd c{client, POLLIN, 0};
    const ssize_t n = poll(&c, 1, 1000) > 0 ? read(client, first.data(), first.size()) : 0;
    first.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    close(client);
    std::lock_guard lock(mutex_);
    requests_.push_back(first.substr(0, first.find("\r\n")));
  }
}

}  // namespace etl::test
