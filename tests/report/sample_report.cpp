#include "tests/report/sample_report.hpp"

#include <random>
#include <string>

namespace etl::test {

MarketReport sample_report(std::size_t listings) {
  std::mt19937 random(7);
  std::uniform_real_distribution<double> unit(0, 1);
  const UnixTime now = 1'796'601'600;  // 2026-12-07T00:00:00Z, a Monday
  MarketReport r;
  r.area = "copenhagen";
  r.generated_at = now + 6 * 3600;
  r.since = now - 90 * 86400;
  const std::vector<std::pair<std::int64_t, std::string>> names{
      {101, "København"}, {147, "Frederiksberg"}, {155, "Dragør"}, {173, "Lyngby-Taarbæk"}, {185, "Tårnby"}, {159, "Gladsaxe"}};
  MarketRow total;
  total.municipality = "total";
  for (std::size_t i = 0; i < names.size(); ++i) {
    MarketRow m;
    m.municipality_code = names[i].first;
    m.municipality = names[i].second;
    m.properties = 2000 + static_cast<std::int64_t>(i) * 1500;
    m.listed = 40 + static_cast<std::int64_t>(i) * 25;
    m.median_price = 4.2e6 + static_cast<double>(i) * 0.6e6;
    m.median_price_per_m2 = 28'000.5 + static_cast<double>(i) * 3'100;
    m.median_days_on_market = 35 + static_cast<double>(i);
    m.new_listings_7d = 3 + static_cast<std::int64_t>(i);
    m.new_listings_30d = 12 + static_cast<std::int64_t>(i);
    m.price_cuts_30d = 4;
    m.sales_30d = 6;
    m.median_cut_percent_30d = -4.25;
    total.properties += m.properties;
    total.listed += m.listed;
    r.market.push_back(m);
  }
  total.median_price = 5.1e6;
  total.median_price_per_m2 = 33'456.75;
  r.market.push_back(total);
  for (int w = 0; w < 14; ++w)
    r.weeks.push_back({.week_start = now - (13 - w) * 7 * 86400, .new_listings = 20 + w % 5 * 6, .price_cuts = 5 + w % 3 * 4, .sales = 8 + w % 4 * 3});
  for (std::size_t i = 0; i < listings; ++i) {
    ListingPoint l;
    l.address_id = "id-" + std::to_string(i);
    l.address = i == 3 ? kHostileAddress : "Strandvejen " + std::to_string(i + 1);
    l.zip_code = 2900;
    l.city = "Hellerup";
    l.municipality = names[i % names.size()].second;
    l.living_area = 80 + unit(random) * 170;
    l.price_per_m2 = 20'000 + unit(random) * 40'000;
    l.price = static_cast<std::int64_t>(*l.living_area * *l.price_per_m2);
    l.latitude = 55.55 + unit(random) * 0.25;
    l.longitude = 12.2 + unit(random) * 0.45;
    l.case_url = i == 5 ? "javascript:alert(1)" : "https://www.boligsiden.dk/adresse/" + l.address_id;
    if (i % 50 == 7) l.latitude.reset();  // some without coordinates, some without a price
    if (i % 60 == 9) l.price_per_m2.reset();
    r.listings.push_back(l);
  }
  for (int i = 0; i < 20; ++i) {
    PriceCutRow c;
    c.address_id = "id-" + std::to_string(i);
    c.address = i == 0 ? kHostileAddress : "Bernstorffsvej " + std::to_string(i + 2);
    c.city = "Gentofte";
    c.municipality = names[static_cast<std::size_t>(i) % names.size()].second;
    c.old_price = 9'950'000 - i * 200'000;
    c.new_price = c.old_price - (900'000 - i * 40'000);
    c.percent = 100.0 * static_cast<double>(c.new_price - c.old_price) / static_cast<double>(c.old_price);
    c.observed_at = now - i * 86400;
    c.case_url = i == 1 ? "javascript:alert(1)" : "https://www.boligsiden.dk/adresse/" + c.address_id;
    r.largest_cuts.push_back(c);
  }
  return r;
}

}  // namespace etl::test
