#include "tests/support/replica_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include <httplib.h>

namespace etl::test {
namespace {

constexpr auto kStartupTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(5);
constexpr std::string_view kBanner = "listening on 127.0.0.1:";

// Reads the replica's first stdout line, giving up at `deadline`.
std::string read_first_line(int fd, std::chrono::steady_clock::time_point deadline) {
  std::string line;
  char c = 0;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw std::runtime_error("replica-api did not print its port within 10 s");
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
    if (read(fd, &c, 1) != 1) throw std::runtime_error("replica-api exited before printing its port: '" + line + "'");
    if (c == '\n') return line;
    line.push_back(c);
  }
}

// Waits up to `timeout` for the child; true when it was reaped.
bool reap(pid_t pid, std::chrono::milliseconds timeout, int& status) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (waitpid(pid, &status, WNOHANG) == pid) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

ReplicaProcess::ReplicaProcess(std::vector<std::string> extra_args) {
  std::vector<std::string> argv = {REPLICA_BIN, "--port", "0"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // A test that crashes must not leave the replica holding ctest's output pipe open.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    const int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  try {
    const std::string line = read_first_line(out[0], std::chrono::steady_clock::now() + kStartupTimeout);
    if (line.rfind(kBanner, 0) != 0) throw std::runtime_error("unexpected first line from replica-api: '" + line + "'");
    port_ = std::stoi(line.substr(kBanner.size()));
  } catch (...) {
    close(out[0]);
    stop();
    throw;
  }
  close(out[0]);  // the replica writes nothing else to stdout
}

ReplicaProcess::~ReplicaProcess() { stop(); }

int ReplicaProcess::stop() {
  if (pid_ <= 0) return exit_code_;
  int status = 0;
  kill(pid_, SIGTERM);
  if (!reap(pid_, kStopTimeout, status)) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  pid_ = -1;
  return exit_code_;
}

HttpReply ReplicaProcess::request(const std::string& path, int timeout_seconds) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(timeout_seconds, 0);
  HttpReply reply;
  if (auto res = client.Get(path)) {
    reply.status = res->status;
    reply.body = std::move(res->body);
    reply.retry_after = res->get_header_value("Retry-After");
  }
  return reply;
}

std::string ReplicaProcess::get(const std::string& path) const { return request(path).body; }

std::string ReplicaProcess::post(const std::string& path) const {
  httplib::Client client("127.0.0.1", port_);
  auto res = client.Post(path);
  return res ? res->body : std::string();
}

}  // namespace etl::test
