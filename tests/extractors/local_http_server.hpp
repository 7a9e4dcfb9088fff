// A cpp-httplib server on 127.0.0.1 for the HTTP client's fault behaviours (hangs, 429s,
// 500s...), which the tests script per request. Runs on its own thread until destroyed.
#pragma once

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <string>
#include <thread>

namespace etl::test {

class LocalHttpServer {
 public:
  LocalHttpServer() {
    server_.new_task_queue = [] { return new httplib::ThreadPool(80); };
    server_.set_keep_alive_max_count(1000);
    server_.set_tcp_nodelay(true);  // else headers and body wait on delayed ACKs (~40 ms per request)
    server_.set_socket_options([this](int fd) {
      int on = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
      listen_fd_ = fd;
    });
  }
  ~LocalHttpServer() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  httplib::Server& routes() { return server_; }
  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    // libcpp-httplib is built with a listen backlog of 5: a burst of new connections beyond
    // that has its SYNs dropped and retried after 1 s. Listening again raises the backlog.
    ::listen(listen_fd_, 256);
    // The socket already listens: connections wait in the backlog until the loop accepts.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the accept loop runs would be lost: wait for it.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  int listen_fd_ = -1;
};

}  // namespace etl::test
