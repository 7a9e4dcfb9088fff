// The run lock (see run_lock.hpp): flock(2) beside a SQLite file, advisory locks on PostgreSQL.
#include "loaders/run_lock.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <cerrno>
#include <cstring>
#include <vector>

#include "etl/core/payload_hash.hpp"
#include "loaders/postgres_store.hpp"
#include "loaders/store_common.hpp"

namespace etl {
namespace {

using loaders_detail::DbKind;

constexpr const char* kWhole = "1/1";

std::string locked_message(std::int64_t pid) {
  return pid > 0 ? fmt::format("another run holds the database (pid {})", pid) : "another run holds the database";
}

class FileLocks final : public RunLock {
 public:
  ~FileLocks() override {
    for (const int fd : fds_) close(fd);
  }

  // Locks `path` without waiting; an exclusive holder writes its pid into the file.
  void take(const std::string& path, bool exclusive) {
    // O_NOFOLLOW: a planted DB.lock -> /some/file must not get that file truncated to our pid.
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
      throw StoreError(fmt::format("sqlite {}: cannot open the run lock: {}", path,
                                   errno == ELOOP ? "it is a symbolic link (remove it)" : std::strerror(errno)));
    if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
      const int error = errno;
      char text[32] = {};
      const ssize_t n = pread(fd, text, sizeof text - 1, 0);
      close(fd);
      if (error != EWOULDBLOCK)
        throw StoreError(fmt::format("sqlite {}: cannot take the run lock: {}", path, std::strerror(error)));
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
  std::vector<int> fds_;
};

std::unique_ptr<RunLock> lock_sqlite(const std::string& path, const std::string& shard) {
  auto locks = std::make_unique<FileLocks>();
  if (path == ":memory:") return locks;  // no other process can open it
  if (shard == kWhole) {
    locks->take(path + ".lock", true);
  } else {
    std::string suffix = shard;
    std::replace(suffix.begin(), suffix.end(), '/', '-');
    locks->take(path + ".lock." + suffix, true);
    locks->take(path + ".lock", false);
  }
  return locks;
}

// The advisory lock keys: one class for propetl, object 0 for the whole database and one per shard.
constexpr std::int32_t kLockClass = 0x70726f70;  // "prop"
std::int32_t shard_object(const std::string& shard) {
  return shard == kWhole ? 0 : static_cast<std::int32_t>(payload_hash(shard) & 0x7fffffff) | 1;
}

constexpr const char* kAppName = "propetl-run-lock pid ";

class AdvisoryLock final : public RunLock {
 public:
  explicit AdvisoryLock(const std::string& url) : url_(url) {
    // The application name carries this process's pid, so a refused run can name the holder.
    const std::string conninfo = loaders_detail::pg_conninfo(url) +
                                 fmt::format(" connect_timeout=10 application_name='{}{}'", kAppName, getpid());
    conn_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) fail("cannot connect");
  }
  ~AdvisoryLock() override { PQfinish(conn_); }

  void take(std::int32_t object, bool exclusive) {
    const std::string sql = fmt::format("SELECT {}($1::int, $2::int)",
                                        exclusive ? "pg_try_advisory_lock" : "pg_try_advisory_lock_shared");
    if (query(sql, object) == "t") return;
    const std::string holder =
        query("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
              "WHERE l.locktype = 'advisory' AND l.classid = $1::int::oid AND l.objid = $2::int::oid "
              "AND l.objsubid = 2 AND l.granted ORDER BY l.pid LIMIT 1",
              object);
    const std::int64_t pid = holder.starts_with(kAppName) ? std::atoll(holder.c_str() + std::strlen(kAppName)) : 0;
    throw RunLockedError(locked_message(pid), pid);
  }

 private:
  // The first value of the first row ("" if none) of `sql` with the class and `object` bound.
  std::string query(const std::string& sql, std::int32_t object) {
    const std::string a = std::to_string(kLockClass), b = std::to_string(object);
    const char* values[] = {a.c_str(), b.c_str()};
    PGresult* res = PQexecParams(conn_, sql.c_str(), 2, nullptr, values, nullptr, nullptr, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
      PQclear(res);
      fail("cannot take the run lock");
    }
    std::string out = PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "";
    PQclear(res);
    return out;
  }

  [[noreturn]] void fail(const char* what) {
    std::string why = PQerrorMessage(conn_);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    std::replace(why.begin(), why.end(), '\n', ' ');
    throw StoreError(loaders_detail::redact_text(fmt::format("postgresql {}: {}: {}", url_, what, why), url_));
  }

  std::string url_;
  PGconn* conn_ = nullptr;
};

std::unique_ptr<RunLock> lock_postgres(const std::string& url, const std::string& shard) {
  auto lock = std::make_unique<AdvisoryLock>(url);
  if (shard == kWhole) {
    lock->take(0, true);
  } else {
    lock->take(shard_object(shard), true);
    lock->take(0, false);
  }
  return lock;
}

}  // namespace

std::unique_ptr<RunLock> take_run_lock(const std::string& url, const std::string& shard) {
  const auto parsed = loaders_detail::parse_db_url(url);
  switch (parsed.kind) {  // no default: a new dialect is a compile warning here
    case DbKind::sqlite:
      return lock_sqlite(parsed.target, shard);
    case DbKind::postgresql:
      return lock_postgres(parsed.target, shard);
  }
  throw std::logic_error("take_run_lock: unknown dialect");
}

}  // namespace etl
