#include "etl/report/report_page.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "etl/core/utc_time.hpp"
#include "etl/core/version.hpp"
#include "etl/report/html_text.hpp"
#include "etl/report/number_text.hpp"
#include "etl/report/page_assets.hpp"
#include "etl/report/report_json.hpp"

namespace etl {
namespace {

std::string day(UnixTime t) { return format_utc_time(t, "%Y-%m-%d").value_or("?"); }

// The filter's total row (market() puts it last), or an empty one.
MarketRow total_of(const MarketReport& r) {
  return !r.market.empty() && r.market.back().municipality_code == 0 ? r.market.back() : MarketRow{};
}

std::string number(const std::string& value, const std::string& label) {
  return fmt::format("<div class=\"number\"><span class=\"value\">{}</span><span class=\"label\">{}</span></div>\n",
                     html_escape(value), html_escape(label));
}

std::string headline(const MarketReport& r) {
  const MarketRow total = total_of(r);
  WeeklyActivity sum;
  for (const WeeklyActivity& w : r.weeks) {
    sum.new_listings += w.new_listings;
    sum.price_cuts += w.price_cuts;
    sum.sales += w.sales;
  }
  const std::string period = r.weeks.empty() ? "" : ", " + fmt::format("{} weeks", r.weeks.size());
  return "<section class=\"numbers\">\n" + number(grouped(total.properties), "villas") +
         number(grouped(total.listed), "listed now") + number(price_text(total.median_price), "median asking price") +
         number(per_m2_text(total.median_price_per_m2), "median asking price per m\u00b2") +
         number(grouped(sum.new_listings), "new listings" + period) + number(grouped(sum.price_cuts), "price cuts" + period) +
         number(grouped(sum.sales), "sales" + period) + "</section>\n";
}

// A card holding one canvas `height` px high.
std::string chart(const char* id, const std::string& title, const std::string& note, int height, bool wide = false) {
  return fmt::format(
      "<figure class=\"card{}\"><h2>{}</h2><p class=\"note\">{}</p>"
      "<div class=\"chart\" style=\"height:{}px\"><canvas id=\"{}\" role=\"img\" aria-label=\"{}\"></canvas></div></figure>\n",
      wide ? " wide" : "", html_escape(title), html_escape(note), height, id, html_escape(title));
}

std::string charts(const MarketReport& r) {
  const std::size_t municipalities = r.market.empty() ? 0 : r.market.size() - 1;
  // One bar of 20 px per municipality, and room for the axis.
  const int bars = static_cast<int>(std::clamp<std::size_t>(municipalities, 3, 200)) * 20 + 50;
  const std::size_t located = static_cast<std::size_t>(std::count_if(
      r.listings.begin(), r.listings.end(), [](const ListingPoint& l) { return l.latitude && l.longitude; }));
  const std::string unplaced =
      located < r.listings.size() ? fmt::format(" ({} without coordinates not shown)", grouped(static_cast<std::int64_t>(r.listings.size() - located))) : "";
  return "<section class=\"charts\">\n" +
         chart("chart-price-per-m2", "Median asking price per m\u00b2 by municipality", "open listings, kr per m\u00b2 of living area", bars) +
         chart("chart-listed", "Listings by municipality", "villas listed now", bars) +
         chart("chart-weeks", "New listings, price cuts and sales per week", "as the nightly runs observed them, since " + day(r.since), 300, true) +
         chart("chart-price-area", "Asking price against living area", fmt::format("{} open listings", grouped(static_cast<std::int64_t>(r.listings.size()))), 460) +
         chart("chart-map", "Where the open listings are", "by longitude and latitude, coloured by asking price per m\u00b2" + unplaced, 460) +
         "</section>\n";
}

// The listing's address, a link to it when the API gave one.
std::string address_cell(const PriceCutRow& c) {
  const std::string text = html_escape(c.address.empty() ? c.address_id : c.address) +
                           (c.city.empty() ? "" : ", " + html_escape(c.city));
  const std::string link = web_link(c.case_url);
  if (link.empty()) return text;
  return fmt::format("<a href=\"{}\" rel=\"noopener noreferrer\" target=\"_blank\">{}</a>", html_escape(link), text);
}

std::string cuts_table(const MarketReport& r) {
  std::string rows;
  for (const PriceCutRow& c : r.largest_cuts)
    rows += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num cut\">{}</td><td class=\"num cut\">{}</td></tr>\n",
        address_cell(c), html_escape(c.municipality), day(c.observed_at), price_text(static_cast<double>(c.old_price)),
        price_text(static_cast<double>(c.new_price)), price_text(static_cast<double>(c.new_price - c.old_price)),
        percent_text(c.percent));
  if (rows.empty()) rows = "<tr><td colspan=\"7\">no price cuts in the period</td></tr>\n";
  return fmt::format(
      "<section class=\"card cuts\"><h2>The {} largest price cuts since {}</h2><p class=\"note\">in kroner; each links to "
      "its listing</p>\n<div class=\"table-scroll\"><table>\n<thead><tr><th>address</th><th>municipality</th><th>observed</th>"
      "<th class=\"num\">was</th><th class=\"num\">now</th><th class=\"num\">cut</th><th class=\"num\">cut %</th></tr></thead>\n"
      "<tbody>\n{}</tbody></table></div></section>\n",
      r.largest_cuts.size(), day(r.since), rows);
}

}  // namespace

std::string report_page(const MarketReport& report, const std::string& chart_js) {
  const std::string title = "Villa market: " + report.area;
  const std::string as_of = format_utc_time(report.generated_at, "%Y-%m-%d %H:%M UTC").value_or("?");
  std::string page;
  page.reserve(chart_js.size() + report.listings.size() * 300 + 65536);
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<title>" + html_escape(title) + "</title>\n<style>\n" + std::string(kReportPageCss) + "</style>\n</head>\n<body>\n";
  page += "<header><h1>" + html_escape(title) + "</h1><p>" +
          html_escape(fmt::format("Open listings as of {}; the market's activity since {}.", as_of, day(report.since))) +
          "</p></header>\n";
  page += headline(report) + charts(report) + cuts_table(report);
  page += "<footer>" + html_escape(fmt::format("Written by etl report (propetl {}) from the local copy of the Boligsiden API; "
                                               "the charts are drawn by Chart.js, inlined in this file.", kVersion)) +
          "</footer>\n";
  page += "<script type=\"application/json\" id=\"report-data\">" + script_safe_json(report_json(report)) + "</script>\n";
  page += "<script>\n" + chart_js + "\n</script>\n<script>\n" + std::string(kReportPageJs) + "</script>\n</body>\n</html>\n";
  return page;
}

}  // namespace etl
