// Parser throughput on one core over the real fixtures: records/s and bytes/s.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "extractors/property_parser.hpp"

namespace {

std::vector<std::string> load_fixtures() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(ETL_FIXTURES_DIR)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("address-", 0) != 0) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    out.push_back(s.str());
  }
  return out;
}

void BM_ParseFixtures(benchmark::State& state) {
  const std::vector<std::string> payloads = load_fixtures();
  if (payloads.empty()) {
    state.SkipWithError("no fixtures found in " ETL_FIXTURES_DIR);
    return;
  }
  std::size_t bytes = 0;
  for (const auto& p : payloads) bytes += p.size();
  etl::PropertyParser parser;
  for (auto _ : state) {
    for (const auto& p : payloads) {
      etl::PropertyRecord r = parser.parse(p);
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * payloads.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ParseFixtures)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
