#include "etl/cli/stop_signals.hpp"

#include <signal.h>
#include <unistd.h>

namespace etl::cli {
namespace {

std::atomic<int> g_stop{0};

void on_signal(int sig) {
  if (g_stop.exchange(sig) != 0) _exit(128 + sig);
  static const char msg[] = "\nstopping: finishing in-flight work and committing (signal again to quit at once)\n";
  [[maybe_unused]] const auto n = write(STDERR_FILENO, msg, sizeof msg - 1);
}

}  // namespace

const std::atomic<int>& install_stop_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  return g_stop;
}

}  // namespace etl::cli
