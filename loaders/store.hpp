// The seam between the pipeline and a database. A Store may be shared by threads: it
// serialises its calls with its own lock (one connection), so callers need none. Every
// method is a complete unit of work (its own transaction) so a crash between calls loses
// at most the call in progress.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "etl/core/failure_stage.hpp"
#include "etl/core/property_event.hpp"
#include "etl/core/property_record.hpp"
#include "etl/core/run_status.hpp"
#include "loaders/market_reads.hpp"
#include "loaders/unix_time.hpp"
#include "loaders/export_reads.hpp"

namespace etl {

struct StoredState {
  std::string address_id;
  std::optional<UnixTime> fetched_at;
  bool is_on_market = false;
  bool removed = false;
  std::optional<std::uint64_t> search_hash{};  // of the search item it was last discovered as
};

// An open case as stored: a case row of a stored, not removed property.
struct StoredCase {
  std::string case_id;  // empty: the property is flagged on market but has no open case row
  std::string address_id;
  std::optional<std::int64_t> price_cash;
  std::string distinction;  // empty when not known
};

// The stored properties a run is about: one municipality's, of the run's address types (empty:
// every type; a property whose type is not known belongs to every scope). A run diffs and
// checks only these, so a villa run leaves the condos a condo run stored alone.
struct PropertyScope {
  std::int64_t municipality_code = 0;
  std::vector<std::string> address_types;
};

struct UpsertFailure {
  std::string address_id;
  std::string reason;
};

struct UpsertResult {
  std::int64_t written = 0;    // inserted or changed
  std::int64_t added = 0;      // of written: not stored before
  // Same payload hash: only last_seen_at/fetched_at bumped; or a search item that does not
  // replace the stored detail: only last_seen_at.
  std::int64_t unchanged = 0;
  std::array<std::int64_t, kEventKinds> events{};  // property_events written, by EventKind
  std::vector<UpsertFailure> failures;  // poison rows, already recorded in etl_failures
};

struct FailureRecord {
  std::string address_id;
  FailureStage stage = FailureStage::fetch;
  std::string reason;
  std::string source;  // URL or file name the payload came from
};

struct PendingFailure {
  std::string address_id;
  FailureStage stage = FailureStage::fetch;
  std::string reason;
  std::int64_t attempts = 0;
  UnixTime last_failed_at = 0;
};

// Which pending failures `resolve_failures` resolves; an unset field selects every value.
struct FailureFilter {
  std::optional<FailureStage> stage;
  std::optional<UnixTime> failed_before;  // last failed before this time
};

struct RunInfo {
  std::string command;    // argv with secrets redacted
  std::string area;
  std::string refresh;
  std::string details_mode;
  std::string shard = "1/1";  // --shard K/N; "1/1": the whole area
};

struct RunOutcome {
  RunStatus status = RunStatus::completed;
  std::string summary_json;  // the run summary as written by --summary-json
};

struct MunicipalityCount {
  std::int64_t code = 0;
  std::string name;  // from the municipalities dimension; empty if unknown
  std::int64_t properties = 0;  // not removed
  std::int64_t on_market = 0;
  std::int64_t removed = 0;
};

// Which property_events `events` reads; an unset or empty field selects every value.
struct EventFilter {
  std::optional<UnixTime> since;               // observed at or after
  std::optional<std::int64_t> first_run;       // observed by this etl_runs id or a later one
  std::vector<EventKind> kinds;
  std::vector<std::int64_t> municipality_codes;
};

// An event with the address it happened at, as stored now.
struct EventRow {
  PropertyEvent event;
  std::string road;  // road name and house number; empty if unknown
  std::optional<std::int64_t> zip_code;
  std::string city;
  std::optional<std::int64_t> municipality_code;
  std::string municipality;  // its name; empty if unknown
};

struct RunRow {
  std::int64_t id = 0;
  UnixTime started_at = 0;
  std::optional<UnixTime> finished_at;
  RunStatus status = RunStatus::running;
  std::string command;
  std::string summary_json;
};

// The Store by role: each stage and command takes the roles it uses. A store serialises its
// calls with its own lock (one connection), so threads may share one.

// The stored properties a run compares its searches with; writes nothing.
class PropertyReads {
 public:
  virtual ~PropertyReads() = default;

  // The same answer as PropertyWrites::lookup, but writes nothing (for --dry-run).
  virtual std::vector<StoredState> peek(const std::vector<std::string>& ids) = 0;

  // Stored, not removed IDs of the scope whose last_seen_at is before `since`: after a
  // complete discovery these vanished from search and are checked for removal.
  virtual std::vector<std::string> ids_not_seen_since(const PropertyScope& scope, UnixTime since) = 0;

  // The open cases of the stored, not removed properties of the scope, for the nightly
  // diff against /search/cases; a stored property flagged on market that has no open case row
  // appears once with an empty case_id. A case is open when its status is "open" or unknown
  // and it has not ended (ended_at).
  // Ordered by address_id, case_id (bytewise).
  virtual std::vector<StoredCase> open_cases(const PropertyScope& scope) = 0;
};

// The writes of a run or an import: the merge.
class PropertyWrites {
 public:
  virtual ~PropertyWrites() = default;

  // At most 1,000 IDs, one statement. Returns the stored ones (any order) and bumps their last_seen_at.
  virtual std::vector<StoredState> lookup(const std::vector<std::string>& ids, UnixTime now) = 0;

  // One transaction; on error retried row by row so only poison rows fail. Successful rows
  // clear that ID's pending failures. A record's search_hash is stored when it has one (also
  // for an unchanged payload); without one the stored value is kept. A saved search item (no
  // is_on_market, no search hash: import-json) does not replace a stored detail (replaces,
  // loaders/fold.hpp).
  virtual UpsertResult upsert_batch(const std::vector<PropertyRecord>& records, UnixTime now) = 0;

  // Sets removed_at of the live ones among `ids`, writing their `removed` events and ending
  // their open cases, and resolves the failures of all of them, in one transaction. Returns how many it removed.
  virtual std::int64_t mark_removed(const std::vector<std::string>& ids, UnixTime now) = 0;
};

class FailureReads {
 public:
  virtual ~FailureReads() = default;
  virtual std::vector<PendingFailure> pending_failures(std::size_t limit) = 0;
};

// etl_failures: what failed, for the next run to retry.
class FailureLog {
 public:
  virtual ~FailureLog() = default;
  virtual void record_failure(const FailureRecord& failure, UnixTime now) = 0;
  // Marks the selected pending failures resolved without a new attempt (`etl failures clear`):
  // no run retries them. A property's failures are also resolved by its next successful write
  // or its removal, in that transaction. Returns how many were resolved.
  virtual std::int64_t resolve_failures(const FailureFilter& filter, UnixTime now) = 0;
};

// etl_runs: a run's row, begun before any work and finished with its summary.
class RunLog {
 public:
  virtual ~RunLog() = default;
  // The caller holds the run lock of `info.shard` (see run_lock.hpp), so the rows still
  // `running` that the lock covers (that shard's, whole runs'; every one for a whole run)
  // belong to runs that ended without finishing: they become `abandoned`, in this transaction.
  virtual std::int64_t begin_run(const RunInfo& info, UnixTime now) = 0;
  // The events of later writes (upsert_batch, mark_removed) carry this etl_runs id.
  virtual void set_run_id(std::int64_t run_id) = 0;
  virtual void finish_run(std::int64_t run_id, const RunOutcome& outcome, UnixTime now) = 0;
};

// What `etl status` and `etl changes` read.
class ReportReads {
 public:
  virtual ~ReportReads() = default;
  virtual std::vector<RunRow> recent_runs(std::size_t limit) = 0;
  // Per municipality code, ordered by code: for `etl status`.
  virtual std::vector<MunicipalityCount> property_counts() = 0;
  // The events the filter selects, in the order they were observed (`etl changes`).
  virtual std::vector<EventRow> events(const EventFilter& filter) = 0;
  // How many events of each kind (indexed by EventKind) were observed at or after `since`.
  virtual std::array<std::int64_t, kEventKinds> event_counts(UnixTime since) = 0;
  // Dialect name for messages: "sqlite" or "postgresql".
  virtual std::string dialect() const = 0;
};

// Every read: what the commands that only read (`etl status`, `etl changes`, `etl failures`,
// `etl market`, `etl export`) get from open_read_store.
class ReadStore : public virtual PropertyReads,
                  public virtual FailureReads,
                  public ReportReads,
                  public MarketReads,
                  public ExportReads {};

// What an import's stages use (the run's pipeline, import-json).
class ImportStore : public virtual PropertyReads,
                    public virtual FailureReads,
                    public PropertyWrites,
                    public FailureLog {};

// Every role: a database opened read-write.
class Store : public ReadStore, public ImportStore, public RunLog {};

// "sqlite:PATH", a plain SQLite file path (no "scheme:", no '@') or
// "postgresql://user:pass@host:port/db". Creates (SQLite: the file and its folder) and
// migrates. Throws ConfigError for a malformed URL, StoreError if it cannot open.
std::unique_ptr<Store> open_store(const std::string& url);

// Opens `url` as open_store does, but creates, migrates and writes nothing: the schema is read
// as it is (a read that needs what an older schema lacks fails saying to run `etl migrate`).
// SQLite opens the file read-only, also in a read-only folder.
std::unique_ptr<ReadStore> open_read_store(const std::string& url);

// What opening a database read-write did to its schema, for `etl migrate` to say.
struct SchemaMigration {
  int applied = 0;  // migrations applied by this opening
  int version = 0;  // the schema's version after them
  std::string dialect;  // Store::dialect(); set by migrate_database
};

// open_store(url) (read-write: creates and migrates), closed again; what the migrating did.
SchemaMigration migrate_database(const std::string& url);

// Checks, writing nothing, that open_store(url) could create or open the database: the URL
// form, and for SQLite that the file's folder can be created and written. Throws like open_store.
void check_store_url(const std::string& url);

// Whether the database of `url` exists, opening nothing: a SQLite file is looked for; a
// PostgreSQL database is only known by connecting, so true. Throws ConfigError like open_store.
bool database_exists(const std::string& url);

// The URL with any password replaced by "***", for logs and etl_runs.
std::string redact_db_url(const std::string& url);

// Free text (a log line, an error) with its credentials scrubbed as etl_runs stores them:
// "scheme://user:pw@" -> "scheme://user:***@" (any scheme: an --api-url too), "password=pw"
// -> "password=***".
std::string redact_secrets(const std::string& text);

}  // namespace etl
