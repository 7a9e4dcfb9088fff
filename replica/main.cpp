// replica-api: serves generated (or, with --payload-dir, recorded) Boligsiden-shaped data on
// 127.0.0.1 with dialled-in faults.
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <thread>

#include <httplib.h>

#include "replica/api_routes.hpp"
#include "replica/generated_dataset.hpp"
#include "replica/options.hpp"
#include "replica/payload_dir_dataset.hpp"

namespace {

// cpp-httplib 0.11 keeps an idle keep-alive connection's worker waiting for its timeout even
// after stop(); shutting the sockets down ends those waits at once. The replica opens no
// sockets of its own besides the server's, and shutdown(2) leaves closing to the workers.
void shut_down_connections() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    const int fd = std::atoi(entry.path().filename().c_str());
    struct stat st {};
    if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode)) ::shutdown(fd, SHUT_RDWR);
  }
}

std::unique_ptr<replica::Dataset> make_dataset(const replica::Options& options) {
  if (!options.payload_dir.empty()) return std::make_unique<replica::PayloadDirDataset>(options.payload_dir);
  return std::make_unique<replica::GeneratedDataset>(options.dataset, options.full_search_items);
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  const auto options = replica::parse_options(argc, argv, exit_code);
  if (!options) return exit_code;

  // Signals are taken by one thread with sigwait; every other thread inherits the block.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<replica::Dataset> dataset;
  try {
    dataset = make_dataset(*options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "replica-api: %s\n", e.what());
    return 1;
  }
  replica::FaultInjector faults(options->dataset.seed, options->faults);
  replica::Stats stats;
  replica::ShutdownLatch shutdown;
  replica::Services services{*dataset, faults, stats, shutdown, options->max_results, options->dataset.seed,
                                dataset->extra_address_types(), {}};

  httplib::Server server;
  const int threads = options->threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  server.set_keep_alive_max_count(1'000'000);
  // Each idle keep-alive connection holds a worker thread until this passes.
  server.set_keep_alive_timeout(10);
  server.set_tcp_nodelay(true);  // headers and body go out in separate writes
  // cpp-httplib 0.11 listens with a backlog of 5, so a burst of new connections would be
  // dropped and retried by TCP a second later; the listening socket is re-listened below.
  int listen_fd = -1;
  server.set_socket_options([&listen_fd](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_fd = sock;
  });
  replica::register_routes(server, services);

  const int port = options->port == 0 ? server.bind_to_any_port("127.0.0.1")
                                      : (server.bind_to_port("127.0.0.1", options->port) ? options->port : -1);
  if (port <= 0) {
    std::fprintf(stderr, "replica-api: cannot bind 127.0.0.1:%d\n", options->port);
    return 1;
  }
  if (::listen(listen_fd, SOMAXCONN) != 0) {
    std::perror("replica-api: listen");
    return 1;
  }
  std::printf("listening on 127.0.0.1:%d\n", port);
  std::fflush(stdout);

  std::atomic<bool> stopped{false};
  std::thread signal_waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    shutdown.trigger();  // wakes injected latency and hangs
    // stop() is a no-op until listen has started, so repeat it until listening ends.
    while (!stopped) {
      server.stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // woken requests answer 503
      shut_down_connections();
    }
  });
  const bool clean = server.listen_after_bind();
  stopped = true;
  if (!shutdown.triggered()) kill(getpid(), SIGTERM);  // releases the waiting thread
  signal_waiter.join();
  return clean ? 0 : 1;
}
