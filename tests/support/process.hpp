// Running the real binaries from tests: spawn, capture output, signal, wait with a deadline.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace etl::test {

struct ProcessResult {
  int exit_code = -1;     // -1 when killed by a signal (see `signal`)
  int signal = 0;
  std::string out;        // stdout
  std::string err;        // stderr
};

// A child process whose stdout and stderr are captured; stdin is /dev/null.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});
  ~ChildProcess();  // kills and reaps a child still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void send_signal(int sig);
  // Collects output until the child exits; SIGKILLs it after `timeout`.
  ProcessResult wait(std::chrono::seconds timeout = std::chrono::seconds(300));

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  bool reaped_ = false;
};

// Runs argv[0] with the given arguments and extra environment; kills it after `timeout`.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env = {},
                          std::chrono::seconds timeout = std::chrono::seconds(300));

// A fresh directory under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace etl::test
