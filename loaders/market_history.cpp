// The market history rules (see market_history.hpp).
#include "loaders/market_history.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace etl::loaders_detail {

namespace {

bool open_status(const std::optional<std::string>& status) { return !status || *status == "open"; }

PropertyEvent event(const std::string& address_id, EventKind kind, const std::string& case_id) {
  PropertyEvent e;
  e.address_id = address_id;
  e.kind = kind;
  if (!case_id.empty()) e.case_id = case_id;
  return e;
}

// The latest registration of `record` that `children` has not: the sale a case ended with.
const Registration* new_sale(const StoredChildren& children, const PropertyRecord& record) {
  std::set<std::string> known;
  for (const StoredSale& s : children.registrations) known.insert(s.registration_id);
  const Registration* latest = nullptr;
  for (const Registration& r : record.registrations) {
    if (known.contains(r.registration_id)) continue;
    if (!latest || std::tie(r.date, r.registration_id) > std::tie(latest->date, latest->registration_id)) latest = &r;
  }
  return latest;
}

void append(std::vector<PropertyEvent>& to, std::vector<PropertyEvent>&& events) {
  std::move(events.begin(), events.end(), std::back_inserter(to));
}

// A live address's listing events: the open cases it had that end (sold or delisted), the
// open cases it gains (listed or relisted) and the re-priced ones, by case ID then kind.
std::vector<PropertyEvent> listing_events(const StoredChildren& children, const PropertyRecord& record,
                                          const std::map<std::string, const StoredListing*>& was_open,
                                          const std::map<std::string, const ListingCase*>& written, bool had_ended) {
  const std::string& id = record.address_id;
  std::vector<PropertyEvent> events;
  std::optional<const Registration*> sale;  // looked up once, when a case ends
  for (const auto& [case_id, c] : was_open) {
    const auto w = written.find(case_id);
    if (w != written.end() && open_status(w->second->status)) continue;
    had_ended = true;
    if (!sale) sale = new_sale(children, record);
    PropertyEvent e = event(id, *sale ? EventKind::sold : EventKind::delisted, case_id);
    e.old_price = c->price;
    if (*sale) {
      e.sale_amount = (*sale)->amount;
      e.sale_date = (*sale)->date;
    }
    events.push_back(std::move(e));
  }
  for (const auto& [case_id, c] : written) {
    if (!open_status(c->status)) continue;
    const auto s = was_open.find(case_id);
    if (s == was_open.end()) {
      PropertyEvent e = event(id, had_ended ? EventKind::relisted : EventKind::listed, case_id);
      e.new_price = c->price_cash;
      events.push_back(std::move(e));
    } else if (s->second->price && c->price_cash && *s->second->price != *c->price_cash) {
      PropertyEvent e = event(id, EventKind::price_changed, case_id);
      e.old_price = s->second->price;
      e.new_price = c->price_cash;
      if (*e.old_price != 0)
        e.percent = static_cast<double>(*e.new_price - *e.old_price) / static_cast<double>(*e.old_price) * 100.0;
      events.push_back(std::move(e));
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const PropertyEvent& a, const PropertyEvent& b) {
    return std::tie(a.case_id, a.kind) < std::tie(b.case_id, b.kind);
  });
  return events;
}

}  // namespace

ObservedChange observe_write(StoredAs stored, const StoredChildren& children, const PropertyRecord& record) {
  ObservedChange out;
  const std::string& id = record.address_id;
  // R's cases by ID, duplicates folded as the merge folds them (the last wins).
  std::map<std::string, const ListingCase*> written;
  for (const ListingCase& c : record.cases) written[c.case_id] = &c;
  if (stored == StoredAs::absent) {
    out.events.push_back(event(id, EventKind::new_, ""));
    if (record.listings_are_news) append(out.events, listing_events(children, record, {}, written, false));
    return out;
  }
  std::map<std::string, const StoredListing*> was_open;
  bool had_ended = false;
  for (const StoredListing& c : children.cases) {
    if (c.open) {
      was_open[c.case_id] = &c;
    } else {
      had_ended = true;
    }
  }
  for (const auto& [case_id, c] : was_open) {
    if (!written.contains(case_id)) out.ended_cases.push_back(case_id);
  }
  if (stored == StoredAs::live) {
    out.events = listing_events(children, record, was_open, written, had_ended);
    return out;
  }
  // Removed: its open cases ended with it (silently, if an older removal left them open), so
  // a case it has open now that it did not is relisted; one still open is no news.
  out.events.push_back(event(id, EventKind::returned, ""));
  for (const auto& [case_id, c] : was_open) written.erase(case_id);
  append(out.events, listing_events(children, record, {}, written, had_ended || !was_open.empty()));
  return out;
}

PropertyEvent removal_event(const std::string& address_id) { return event(address_id, EventKind::removed, ""); }

}  // namespace etl::loaders_detail
