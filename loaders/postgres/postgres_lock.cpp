// PostgreSQL's run lock (see postgres_lock.hpp).
#include "loaders/postgres/postgres_lock.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <thread>

#include "etl/core/payload_hash.hpp"
#include "loaders/postgres/postgres_store.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

namespace {

// The advisory lock keys: one class for propetl, object 0 for the whole database and one per shard.
constexpr std::int32_t kLockClass = 0x70726f70;  // "prop"
std::int32_t shard_object(const std::string& shard) {
  return shard == kWholeRun ? 0 : static_cast<std::int32_t>(payload_hash(shard) & 0x7fffffff) | 1;
}

constexpr const char* kAppName = "propetl-run-lock pid ";
constexpr int kGoneHolderRetries = 50;  // 5 s

class AdvisoryLock final : public RunLock {
 public:
  explicit AdvisoryLock(const std::string& url) : url_(url) {
    // The application name carries this process's pid, so a refused run can name the holder.
    const std::string conninfo = pg_conninfo(url) +
                                 fmt::format(" connect_timeout=10 application_name='{}{}'", kAppName, getpid());
    conn_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) fail("cannot connect");
  }
  // Unlocked before the connection closes: the server ends a closed session's backend (and
  // its locks) only after the client has gone, so the next run, started at once, would be refused.
  ~AdvisoryLock() override {
    PQclear(PQexec(conn_, "SELECT pg_advisory_unlock_all()"));
    PQfinish(conn_);
  }

  void take(std::int32_t object, bool exclusive) {
    const std::string sql = fmt::format("SELECT {}($1::int, $2::int)",
                                        exclusive ? "pg_try_advisory_lock" : "pg_try_advisory_lock_shared");
    // A holder whose process on this machine has ended (killed, so it never unlocked) is a
    // backend the server is still ending: worth a few short retries, a live run is not.
    for (int retry = 0;; ++retry) {
      if (query(sql, object) == "t") return;
      const std::string holder =
          query("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.classid = $1::int::oid AND l.objid = $2::int::oid "
                "AND l.objsubid = 2 AND l.granted ORDER BY l.pid LIMIT 1",
                object);
      const std::int64_t pid =
          holder.starts_with(kAppName) ? std::atoll(holder.c_str() + std::strlen(kAppName)) : 0;
      const bool holder_gone = pid > 0 && kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
      if (!holder_gone || retry == kGoneHolderRetries) throw RunLockedError(locked_message(pid), pid);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
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
    throw StoreError(redact_text(fmt::format("postgresql {}: {}: {}", url_, what, why), url_));
  }

  std::string url_;
  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<RunLock> lock_postgres(const std::string& url, const std::string& shard) {
  auto lock = std::make_unique<AdvisoryLock>(url);
  if (shard == kWholeRun) {
    lock->take(0, true);
  } else {
    lock->take(shard_object(shard), true);
    lock->take(0, false);
  }
  return lock;
}

}  // namespace etl::loaders_detail
