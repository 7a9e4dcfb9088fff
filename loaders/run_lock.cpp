// The run lock (see run_lock.hpp): the dialect's, and the file locks a dialect may take.
#include "loaders/run_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "loaders/dialects.hpp"

namespace etl {

std::unique_ptr<RunLock> take_run_lock(const std::string& url, const std::string& shard) {
  const auto parsed = loaders_detail::parse_db_url(url);
  return parsed.dialect.lock(parsed.target, shard);
}

namespace loaders_detail {
namespace {

class FileLocks final : public RunLock {
 public:
  ~FileLocks() override {
    for (const int fd : fds_) close(fd);
  }

  explicit FileLocks(const char* dialect) : dialect_(dialect) {}

  // Locks `path` without waiting; an exclusive holder writes its pid into the file.
  void take(const std::string& path, bool exclusive) {
    // O_NOFOLLOW: a planted DB.lock -> /some/file must not get that file truncated to our pid.
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
      throw StoreError(fmt::format("{} {}: cannot open the run lock: {}", dialect_, path,
                                   errno == ELOOP ? "it is a symbolic link (remove it)" : std::strerror(errno)));
    if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
      const int error = errno;
      char text[32] = {};
      const ssize_t n = pread(fd, text, sizeof text - 1, 0);
      close(fd);
      if (error != EWOULDBLOCK)
        throw StoreError(fmt::format("{} {}: cannot take the run lock: {}", dialect_, path, std::strerror(error)));
      throw RunLockedError(locked_message(n > 0 ? std::atoll(text) : 0), n > 0 ? std::atoll(text) : 0);
    }
    fds_.push_back(fd);
    if (exclusive) {
      const std::string pid = std::to_string(getpid());
      if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) < 0) {
        // The lock holds without the pid; a refused run just cannot name the process.
      }
    }
  }

 private:
  const char* dialect_;
  std::vector<int> fds_;
};

}  // namespace

std::string locked_message(std::int64_t pid) {
  return pid > 0 ? fmt::format("another run holds the database (pid {})", pid) : "another run holds the database";
}

std::unique_ptr<RunLock> lock_files(const char* dialect, const std::vector<LockFile>& files) {
  auto locks = std::make_unique<FileLocks>(dialect);
  for (const LockFile& f : files) locks->take(f.path, f.exclusive);
  return locks;
}

}  // namespace loaders_detail
}  // namespace etl
