// One run per database: `etl run` and `etl import-json` hold a run lock from before their
// etl_runs row is begun until they exit, so a second run on the same database stops at once,
// naming the holder, instead of fetching everything again beside it. A whole run (shard
// "1/1") excludes every other run; a shard run ("K/N") excludes the same shard and whole runs,
// so N machines can still fill one database together.
//
// Each dialect takes it its own way (SQLite: flock(2) on files beside the database, DB.lock for
// the whole, DB.lock.K-N per shard, the holder's pid in them; PostgreSQL: session advisory
// locks on a connection of the lock's own, apart from the store's, which may reconnect). All
// end with the process, so a killed run holds nothing, and its `running` row is abandoned by the next.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "etl/core/errors.hpp"

namespace etl {

class RunLock {
 public:
  virtual ~RunLock() = default;
};

// Another run holds the lock; `holder_pid()` is its process (0 if not known).
class RunLockedError : public EtlError {
 public:
  RunLockedError(const std::string& what, std::int64_t holder_pid) : EtlError(what), holder_pid_(holder_pid) {}
  std::int64_t holder_pid() const { return holder_pid_; }

 private:
  std::int64_t holder_pid_;
};

// Takes the run lock of the database at `url` for `shard` ("1/1" or "K/N"), or throws
// RunLockedError at once; StoreError if it cannot be taken at all. Released when destroyed.
std::unique_ptr<RunLock> take_run_lock(const std::string& url, const std::string& shard);

// What the dialects' locks share. Internal to loaders/.
namespace loaders_detail {

inline constexpr const char* kWholeRun = "1/1";  // the shard of a whole run

// "another run holds the database (pid P)", or without the pid when it is 0 (not known).
std::string locked_message(std::int64_t pid);

struct LockFile {
  std::string path;
  bool exclusive = false;  // an exclusive holder writes its pid into the file
};

// flock(2)s on `files` in order, without waiting: RunLockedError naming the pid in a held file,
// or a StoreError starting "<dialect> <path>:" if one cannot be opened or locked.
std::unique_ptr<RunLock> lock_files(const char* dialect, const std::vector<LockFile>& files);

}  // namespace loaders_detail

}  // namespace etl
