// open_store, migrate_database, database_exists and check_store_url: the URL parsed once
// (store_common), then the dialect's store; read-only, behind a wrapper that refuses the writes.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "etl/core/errors.hpp"
#include "loaders/postgres_store.hpp"
#include "loaders/sqlite_store.hpp"
#include "loaders/store.hpp"
#include "loaders/store_common.hpp"

namespace etl {
namespace {

// A store opened with StoreAccess::read_only: the reads pass through; anything else is a
// caller's mistake, refused (a read-only SQLite store has not prepared the write path).
class ReadOnlyStore final : public Store {
 public:
  explicit ReadOnlyStore(std::unique_ptr<Store> store) : store_(std::move(store)) {}

  std::vector<PendingFailure> pending_failures(std::size_t limit) override { return store_->pending_failures(limit); }
  std::vector<std::string> ids_not_seen_since(const PropertyScope& scope, UnixTime since) override {
    return store_->ids_not_seen_since(scope, since);
  }
  std::vector<RunRow> recent_runs(std::size_t limit) override { return store_->recent_runs(limit); }
  std::vector<StoredCase> open_cases(const PropertyScope& scope) override { return store_->open_cases(scope); }
  std::vector<MunicipalityCount> property_counts() override { return store_->property_counts(); }
  std::vector<EventRow> events(const EventFilter& filter) override { return store_->events(filter); }
  std::array<std::int64_t, kEventKinds> event_counts(UnixTime since) override { return store_->event_counts(since); }
  std::string dialect() const override { return store_->dialect(); }

  std::vector<StoredState> lookup(const std::vector<std::string>&, UnixTime) override { refuse("lookup"); }
  std::vector<StoredState> peek(const std::vector<std::string>&) override { refuse("peek"); }
  UpsertResult upsert_batch(const std::vector<PropertyRecord>&, UnixTime) override { refuse("upsert_batch"); }
  std::int64_t mark_removed(const std::vector<std::string>&, UnixTime) override { refuse("mark_removed"); }
  void record_failure(const FailureRecord&, UnixTime) override { refuse("record_failure"); }
  std::int64_t resolve_failures(const FailureFilter&, UnixTime) override { refuse("resolve_failures"); }
  std::int64_t begin_run(const RunInfo&, UnixTime) override { refuse("begin_run"); }
  void set_run_id(std::int64_t) override { refuse("set_run_id"); }
  void finish_run(std::int64_t, const RunOutcome&, UnixTime) override { refuse("finish_run"); }

 private:
  [[noreturn]] void refuse(const char* call) const {
    throw StoreError(fmt::format("{}: {} on a store opened read-only", store_->dialect(), call));
  }

  std::unique_ptr<Store> store_;
};

// The dialect's store of `url`; `migrated` as open_sqlite_store takes it.
std::unique_ptr<Store> open_dialect_store(const std::string& url, StoreAccess access, SchemaMigration* migrated) {
  const auto parsed = loaders_detail::parse_db_url(url);
  std::unique_ptr<Store> store;
  switch (parsed.kind) {
    case loaders_detail::DbKind::sqlite:
      store = loaders_detail::open_sqlite_store(parsed.target, access, migrated);
      break;
    case loaders_detail::DbKind::postgresql:
      store = loaders_detail::open_postgres_store(parsed.target, access, migrated);
      break;
  }
  if (!store) throw ConfigError("unsupported database URL");
  return store;
}

}  // namespace

std::unique_ptr<Store> open_store(const std::string& url, StoreAccess access) {
  std::unique_ptr<Store> store = open_dialect_store(url, access, nullptr);
  if (access == StoreAccess::read_only) return std::make_unique<ReadOnlyStore>(std::move(store));
  return store;
}

SchemaMigration migrate_database(const std::string& url) {
  SchemaMigration migrated;
  migrated.dialect = open_dialect_store(url, StoreAccess::read_write, &migrated)->dialect();
  return migrated;
}

bool database_exists(const std::string& url) {
  const auto parsed = loaders_detail::parse_db_url(url);
  if (parsed.kind != loaders_detail::DbKind::sqlite || parsed.target == ":memory:") return true;
  std::error_code ec;
  return std::filesystem::exists(parsed.target, ec);
}

void check_store_url(const std::string& url) {
  const auto parsed = loaders_detail::parse_db_url(url);
  if (parsed.kind != loaders_detail::DbKind::sqlite || parsed.target == ":memory:") return;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path file = fs::absolute(parsed.target, ec);
  if (fs::exists(file, ec)) {
    if (access(file.c_str(), R_OK | W_OK) != 0) throw StoreError("sqlite " + parsed.target + ": the database file is not writable");
    return;
  }
  fs::path folder = file.parent_path();
  while (!folder.empty() && !fs::exists(folder, ec) && folder != folder.root_path()) folder = folder.parent_path();
  if (!fs::is_directory(folder, ec))
    throw StoreError("sqlite " + parsed.target + ": cannot create the database: " + folder.string() + " is not a folder");
  if (access(folder.c_str(), W_OK) != 0)
    throw StoreError("sqlite " + parsed.target + ": cannot create the database: " + folder.string() + " is not writable");
}

}  // namespace etl
