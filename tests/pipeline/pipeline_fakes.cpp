#include "tests/pipeline/pipeline_fakes.hpp"

#include <algorithm>

#include "etl/core/payload_hash.hpp"

namespace etl::test {

std::string FakeApi::payload(const std::string& id, std::int64_t municipality_code) {
  return R"({"addressID":")" + id + R"(","roadName":"Vej","zipCode":2300,"municipality":{"municipalityCode":)" +
         std::to_string(municipality_code) + "}}";
}

std::string FakeApi::item(const std::string& id) const {
  return unreadable.contains(id) ? R"({"addressID":")" + id + R"(","roadName":"V\u0000j"})" : payload(id);
}

void FakeApi::get(std::string url, Callback done, RequestOptions) {
  std::unique_lock lock(mutex_);
  ++requests_;
  const auto detail = url.find("/addresses/");
  if (detail != std::string::npos) {
    const std::string id = url.substr(detail + 11);
    details_.push_back(id);
    lock.unlock();
    if (errors.contains(id)) return done(HttpResponse{500, "", "", 5});
    if (gone.contains(id)) return done(HttpResponse{404, "{}", "", 1});
    return done(HttpResponse{200, item(id), "", 1});
  }
  if (url.find("/search/cases") != std::string::npos) {
    std::string body = R"({"totalHits":)" + std::to_string(cases.size()) + R"(,"cases":[)";
    for (const StoredCase& c : cases) {
      if (body.back() != '[') body += ',';
      body += R"({"caseID":")" + c.case_id + R"(","priceCash":)" + std::to_string(c.price_cash.value_or(0)) +
              R"(,"distinction":"real_estate","address":)" + payload(c.address_id, elsewhere.contains(c.address_id) ? 147 : 101) +
              "}";
    }
    lock.unlock();
    return done(HttpResponse{200, body + "]}", "", 1});
  }
  ++searches_;
  lock.unlock();
  const auto page_at = url.find("&page=");
  const int page = std::stoi(url.substr(page_at + 6));
  std::string body = R"({"totalHits":)" + std::to_string(ids_.size()) + R"(,"addresses":[)";
  for (std::size_t i = static_cast<std::size_t>(page - 1) * 50; i < ids_.size() && i < static_cast<std::size_t>(page) * 50; ++i) {
    if (body.back() != '[') body += ',';
    body += item(ids_[i]);
  }
  done(HttpResponse{200, body + "]}", "", 1});
}

HttpStats FakeApi::stats() const {
  std::lock_guard lock(mutex_);
  return HttpStats{.requests = requests_, .requests_by_endpoint = {}, .answers_by_endpoint = {}};
}

std::int64_t FakeApi::search_requests() const {
  std::lock_guard lock(mutex_);
  return searches_;
}

StoredState stored_state(const std::string& id, UnixTime fetched_at, bool on_market) {
  StoredState s;
  s.address_id = id;
  s.fetched_at = fetched_at;
  s.is_on_market = on_market;
  s.search_hash = payload_hash(FakeApi::payload(id));
  return s;
}

std::vector<std::string> FakeApi::detail_requests() const {
  std::lock_guard lock(mutex_);
  return details_;
}

std::vector<StoredState> MemoryStore::lookup(const std::vector<std::string>& ids, UnixTime) {
  {
    std::lock_guard lock(mutex_);
    lookup_sizes.push_back(ids.size());
  }
  return peek(ids);
}

std::vector<StoredState> MemoryStore::peek(const std::vector<std::string>& ids) {
  std::lock_guard lock(mutex_);
  std::vector<StoredState> out;
  for (const auto& id : ids)
    if (auto it = rows.find(id); it != rows.end()) out.push_back(it->second);
  return out;
}

UpsertResult MemoryStore::upsert_batch(const std::vector<PropertyRecord>& records, UnixTime now) {
  std::lock_guard lock(mutex_);
  batch_sizes.push_back(records.size());
  UpsertResult r;
  for (const auto& rec : records) {
    StoredState& s = rows[rec.address_id];
    s = StoredState{rec.address_id, now, rec.is_on_market.value_or(false), false, rec.search_hash ? rec.search_hash : s.search_hash};
    municipality_of[rec.address_id] = rec.municipality_code.value_or(0);
    failures.erase(rec.address_id);
    ++r.written;
  }
  return r;
}

std::int64_t MemoryStore::mark_removed(const std::vector<std::string>& ids, UnixTime) {
  std::lock_guard lock(mutex_);
  std::int64_t n = 0;
  for (const auto& id : ids) {
    removed.push_back(id);
    if (auto it = rows.find(id); it != rows.end() && !it->second.removed) {
      it->second.removed = true;
      ++n;
    }
  }
  return n;
}

void MemoryStore::record_failure(const FailureRecord& failure, UnixTime) {
  std::lock_guard lock(mutex_);
  failures[failure.address_id] = failure;
}

std::vector<PendingFailure> MemoryStore::pending_failures(std::size_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<PendingFailure> out;
  for (const auto& [id, f] : failures)
    if (out.size() < limit) out.push_back(PendingFailure{id, f.stage, f.reason, 1, 0});
  return out;
}

std::vector<std::string> MemoryStore::ids_not_seen_since(const PropertyScope& scope, UnixTime) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [id, s] : rows)
    if (!s.removed && municipality_of[id] == scope.municipality_code) out.push_back(id);
  return out;
}

}  // namespace etl::test
