// Discovery as a small work queue of search requests, at most `concurrent_requests` in
// flight. Page 1 of a query (a "probe") tells its totalHits: a query whose hits fit under the
// API's result cap (page x per_page) is a leaf and its remaining pages are queued; one that
// does not is split (municipality -> zip codes -> price halves -> area halves) and the parts
// are probed in turn. Every query names a stable sort, and the distinct IDs found are
// counted against the municipality's totalHits: an API whose order shifts between pages, or
// whose partitions do not add up, shows as a shortfall, never as silence.
#include "extractors/municipality_discovery.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "etl/core/errors.hpp"
#include "extractors/boligsiden_urls.hpp"
#include "extractors/paged_reader.hpp"
#include "extractors/search_page.hpp"

namespace etl {
namespace {

// Upper ends of the bisected ranges; the top range has no upper bound in the query, so
// anything above these still belongs to it.
constexpr std::int64_t kPriceTop = 1'000'000'000;  // kroner
constexpr std::int64_t kAreaTop = 100'000;         // m²

struct PageRequest {
  SearchQuery query;  // page included
  bool root = false;  // page 1 of the unpartitioned municipality query
  int rereads = 0;    // times re-requested because its body was unusable (see PagedReader)
  int partition = -1; // a probe: the partition it splits; a leaf's page: the leaf (-1: none)
};

// A query that was probed: split into parts, or paged as a leaf. Parts must add up to at most
// their whole and a leaf's pages must deliver; where the API's answers do not, the subtree is
// abandoned (its properties count in the shortfall) instead of being split without end.
struct Partition {
  int parent = -1;
  std::int64_t total = 0;
  std::int64_t parts_total = 0;  // totalHits of the parts probed so far
  std::int64_t pages = 0;        // a leaf: the pages it is read in
  bool abandoned = false;
};

// Completed responses, filled by the HTTP loop thread, drained by the discovering thread.
// Shared so that requests still in flight when discovery stops early find it alive.
struct Inbox {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::pair<std::uint64_t, HttpResponse>> done;
};

// Halves the range [min, max] of one filter into `lower` and `upper`; an absent upper bound
// stands for `top` and stays absent on the upper half. False when the range is one value.
using Bound = std::optional<std::int64_t> SearchQuery::*;
bool bisect(const SearchQuery& q, Bound min, Bound max, std::int64_t top, SearchQuery& lower, SearchQuery& upper) {
  const std::int64_t lo = (q.*min).value_or(0);
  const std::int64_t hi = (q.*max).value_or(std::max(top, lo));
  if (lo >= hi) return false;
  const std::int64_t mid = lo + (hi - lo) / 2;
  lower = q;
  upper = q;
  lower.*min = lo;
  lower.*max = mid;
  upper.*min = mid + 1;
  return true;
}

class DiscoveryRun {
 public:
  DiscoveryRun(HttpClient& http, const DiscoveryOptions& options, const Municipality& municipality,
               const MunicipalityDiscovery::TotalCallback& on_total,
               const MunicipalityDiscovery::PageCallback& on_page)
      : http_(http),
        options_(options),
        municipality_(municipality),
        on_total_(on_total),
        on_page_(on_page),
        cap_(options.max_results / options.per_page * options.per_page),
        reader_(http, kAddressSearch, municipality.name),
        inbox_(std::make_shared<Inbox>()) {
    report_.municipality = municipality.name;
  }

  DiscoveryReport run() {
    SearchQuery root;
    root.municipality = municipality_.name;
    root.address_type = options_.address_type;
    root.per_page = options_.per_page;
    pending_.push_back({root, true});

    const std::size_t window = static_cast<std::size_t>(std::max(1, options_.concurrent_requests));
    while (!stopped_ && (!pending_.empty() || !in_flight_.empty())) {
      while (!pending_.empty() && in_flight_.size() < window && !over_budget()) {
        PageRequest next = std::move(pending_.front());
        pending_.pop_front();
        if (!abandoned(next.partition)) send(std::move(next));
      }
      if (in_flight_.empty()) break;  // the budget is spent, or what was left was abandoned
      auto [id, response] = next_response();
      auto node = in_flight_.extract(id);
      handle(node.mapped(), std::move(response));
    }
    finish_report();
    return report_;
  }

 private:
  void send(PageRequest request) {
    std::uint64_t id = next_id_++;
    std::string url = search_url(options_.base_url, request.query);
    in_flight_.emplace(id, std::move(request));
    ++report_.requests;
    http_.get(std::move(url), [inbox = inbox_, id](HttpResponse response) {
      {
        std::lock_guard lock(inbox->mu);
        inbox->done.emplace_back(id, std::move(response));
      }
      inbox->cv.notify_one();
    }, reader_.request());
  }

  std::pair<std::uint64_t, HttpResponse> next_response() {
    std::unique_lock lock(inbox_->mu);
    inbox_->cv.wait(lock, [&] { return !inbox_->done.empty(); });
    auto next = std::move(inbox_->done.front());
    inbox_->done.pop_front();
    return next;
  }

  void handle(const PageRequest& request, HttpResponse response) {
    const std::string url = search_url(options_.base_url, request.query);
    reader_.check_answered(response, url);
    SearchPage page;
    try {
      page = parser_.parse(response.body, options_.keep_payloads);
    } catch (const ParseError& e) {
      reader_.bad_body(url, request.rereads, e);
      reread(request);
      return;
    }
    // Hits without a usable addressID are read again too, but once the re-reads are spent
    // the page counts without them.
    if (page.items_without_id > 0 && request.rereads < PagedReader::kMaxRereads) {
      spdlog::warn("{}: {} search hit(s) without an addressID in GET {}; requesting it again", municipality_.name,
                   page.items_without_id, url);
      reread(request);
      return;
    }
    if (page.items_without_id > 0) {
      spdlog::warn("{}: {} search hit(s) without a usable addressID skipped ({}){}", municipality_.name,
                   page.items_without_id, url,
                   page.invalid_ids.empty() ? "" : fmt::format("; invalid IDs: \"{}\"", fmt::join(page.invalid_ids, "\", \"")));
      for (std::string& id : page.invalid_ids) {
        auto& kept = report_.invalid_ids;
        if (kept.size() < DiscoveryReport::kMaxInvalidIds && std::find(kept.begin(), kept.end(), id) == kept.end())
          kept.push_back(std::move(id));
      }
    }
    if (request.query.page == 1) probe(request, page.total_hits);
    const auto delivered = static_cast<std::int64_t>(page.items.size()) + page.items_without_id;
    if (request.query.page > 1 && delivered < request.query.per_page &&
        request.query.page < partitions_[static_cast<std::size_t>(request.partition)].pages) {
      abandon(request.partition, "a page of the query came back short");  // the rest would be empty too
    }
    emit(std::move(page.items));
  }

  void reread(const PageRequest& request) {
    PageRequest again = request;
    ++again.rereads;
    pending_.push_front(std::move(again));
  }

  // Decides what page 1 of a query means: a leaf to page through, or a query to split.
  void probe(const PageRequest& request, std::int64_t total) {
    if (request.root) {
      report_.total_hits = total;
      if (on_total_) on_total_(total);
    }
    if (request.partition >= 0) {
      Partition& whole = partitions_[static_cast<std::size_t>(request.partition)];
      whole.parts_total += total;
      // Disjoint parts add up to their whole; a little more is a property added meanwhile.
      if (whole.parts_total > whole.total + std::max<std::int64_t>(10, whole.total / 100)) {
        abandon(request.partition, fmt::format("its parts count {} hits, more than its {}", whole.parts_total,
                                               whole.total));
      }
      if (abandoned(request.partition)) return;
    }
    const int self = static_cast<int>(partitions_.size());
    partitions_.push_back({request.partition, total});
    if (total > cap_) {
      std::vector<SearchQuery> parts = split(request.query, request.root);
      if (!parts.empty()) {
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) pending_.push_front({std::move(*it), false, 0, self});
        return;
      }
      spdlog::warn("{}: query {} has {} hits, more than the {} the API pages through, and cannot be split further",
                   municipality_.name, search_url(options_.base_url, request.query), total, cap_);
      over_cap_ = true;
    }
    ++report_.partitions;
    const std::int64_t readable = std::min(total, cap_);
    const std::int64_t pages = (readable + options_.per_page - 1) / options_.per_page;
    partitions_.back().pages = pages;
    // Pages of a leaf go first, so that one partition finishes before the next starts.
    for (std::int64_t p = pages; p >= 2; --p) {
      SearchQuery next = request.query;
      next.page = static_cast<int>(p);
      pending_.push_front({std::move(next), false, 0, self});
    }
  }

  // The municipality splits by zip code; anything else by price halves, then area halves.
  std::vector<SearchQuery> split(const SearchQuery& q, bool root) const {
    std::vector<SearchQuery> parts;
    if (root && !municipality_.zip_codes.empty()) {
      for (const auto& zip : municipality_.zip_codes) {
        SearchQuery part = q;
        part.zip_code = zip;
        parts.push_back(std::move(part));
      }
      return parts;
    }
    SearchQuery lower, upper;
    if (bisect(q, &SearchQuery::price_min, &SearchQuery::price_max, kPriceTop, lower, upper) ||
        bisect(q, &SearchQuery::area_min, &SearchQuery::area_max, kAreaTop, lower, upper)) {
      parts.push_back(std::move(lower));
      parts.push_back(std::move(upper));
    }
    return parts;
  }

  bool abandoned(int partition) const {
    for (int p = partition; p >= 0; p = partitions_[static_cast<std::size_t>(p)].parent) {
      if (partitions_[static_cast<std::size_t>(p)].abandoned) return true;
    }
    return false;
  }

  void abandon(int partition, const std::string& why) {
    Partition& p = partitions_[static_cast<std::size_t>(partition)];
    if (p.abandoned) return;
    p.abandoned = true;
    inconsistent_ = true;
    spdlog::warn("{}: the search's answers do not add up ({}); that part of the search is left unread", municipality_.name,
                 why);
  }

  // Bounded whatever totalHits says: a legitimate crawl needs its pages plus a few probes.
  bool over_budget() {
    if (report_.requests < options_.max_requests) return false;
    if (!budget_spent_)
      spdlog::warn("{}: discovery stopped after {} search requests (the most one municipality may cost)",
                   municipality_.name, report_.requests);
    budget_spent_ = true;
    return true;
  }

  void emit(std::vector<DiscoveredItem>&& items) {
    std::vector<DiscoveredItem> fresh;
    fresh.reserve(items.size());
    for (auto& item : items) {
      if (seen_.insert(item.address_id).second) fresh.push_back(std::move(item));
    }
    if (fresh.empty()) return;
    report_.discovered += static_cast<std::int64_t>(fresh.size());
    if (!on_page_(std::move(fresh))) stopped_ = true;
  }

  void finish_report() {
    if (stopped_) return;  // an early stop is not a shortfall
    // Distinct IDs, not hits read: pages that overlap (an order that shifted between
    // requests) deliver as many hits as asked for and still miss properties.
    report_.shortfall = std::max<std::int64_t>(0, report_.total_hits - report_.discovered);
    if (report_.shortfall > 0) {
      spdlog::warn("{}: discovery found {} distinct properties of the {} the API counts (shortfall {}, {} "
                   "partitions); recorded in the run summary",
                   municipality_.name, report_.discovered, report_.total_hits, report_.shortfall,
                   report_.partitions);
    }
    report_.complete = report_.shortfall == 0 && !over_cap_ && !inconsistent_ && !budget_spent_;
  }

  HttpClient& http_;
  const DiscoveryOptions& options_;
  const Municipality& municipality_;
  const MunicipalityDiscovery::TotalCallback& on_total_;
  const MunicipalityDiscovery::PageCallback& on_page_;
  const std::int64_t cap_;
  const PagedReader reader_;
  std::shared_ptr<Inbox> inbox_;
  SearchPageParser parser_;

  std::deque<PageRequest> pending_;
  std::unordered_map<std::uint64_t, PageRequest> in_flight_;
  std::uint64_t next_id_ = 0;
  std::unordered_set<std::string> seen_;
  std::vector<Partition> partitions_;
  bool inconsistent_ = false;
  bool budget_spent_ = false;
  bool over_cap_ = false;
  bool stopped_ = false;
  DiscoveryReport report_;
};

}  // namespace

MunicipalityDiscovery::MunicipalityDiscovery(HttpClient& http, DiscoveryOptions options)
    : http_(http), options_(std::move(options)) {}

DiscoveryReport MunicipalityDiscovery::discover(const Municipality& municipality, const TotalCallback& on_total,
                                                const PageCallback& on_page) {
  return DiscoveryRun(http_, options_, municipality, on_total, on_page).run();
}

std::int64_t MunicipalityDiscovery::count(const Municipality& municipality) {
  SearchQuery q;
  q.municipality = municipality.name;
  q.address_type = options_.address_type;
  q.per_page = 1;
  const std::string url = search_url(options_.base_url, q);
  const PagedReader reader(http_, kAddressSearch, municipality.name);
  const HttpResponse r = get_blocking(http_, url, reader.request());
  reader.check_answered(r, url);
  try {
    return SearchPageParser().parse(r.body, false).total_hits;
  } catch (const ParseError& e) {
    throw ApiError(fmt::format("invalid search response from GET {}: {}", url, e.what()));
  }
}

}  // namespace etl
