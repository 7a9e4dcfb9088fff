// Running the real binaries from tests: spawn, capture output, wait with a deadline.
#pragma once

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
