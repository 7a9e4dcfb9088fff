#include "tests/pipeline/etl_run_fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <simdjson.h>

#include "etl/core/area_config.hpp"
#include "extractors/boligsiden_urls.hpp"

namespace etl::test {

const std::string kConfig = std::string(ETL_SOURCE_DIR) + "/municipalities.yaml";

std::vector<std::string> area_names(const std::string& area) {
  const AreaConfig config = AreaConfig::load_file(kConfig);  // outlives the pointers area() returns
  std::vector<std::string> out;
  for (const Municipality* m : config.area(area)) out.push_back(m->name);
  return out;
}

std::set<std::string> replica_ids(ReplicaProcess& replica, const std::vector<std::string>& municipalities) {
  std::set<std::string> ids;
  simdjson::dom::parser parser;
  for (const std::string& m : municipalities) {
    for (int page = 1;; ++page) {
      const std::string body = replica.get("/search/addresses?municipalities=" + url_encode(m) +
                                           "&addressTypes=villa&sortBy=address&per_page=50&page=" + std::to_string(page));
      const simdjson::dom::element doc = parser.parse(body);
      const simdjson::dom::array addresses = doc["addresses"].get_array();
      for (simdjson::dom::element a : addresses) ids.insert(std::string(a["addressID"].get_string().value()));
      if (addresses.size() < 50) break;
    }
  }
  return ids;
}

std::int64_t replica_stat(ReplicaProcess& replica, const char* endpoint) {
  simdjson::dom::parser parser;
  return parser.parse(replica.get("/__stats"))["requests"][endpoint].get_int64().value();
}

std::set<std::string> stored_ids(const std::string& db_file, const std::string& where) {
  SQLite::Database db(db_file);
  SQLite::Statement q(db, "SELECT address_id FROM properties WHERE " + where);
  std::set<std::string> out;
  while (q.executeStep()) out.insert(q.getColumn(0).getString());
  return out;
}

ProcessResult EtlRunTest::etl(std::vector<std::string> args, const ReplicaProcess& replica, const std::string& db_url) {
  std::vector<std::string> argv = {ETL_BIN, "run", "--config", kConfig, "--api-url", replica.base_url(),
                                   "--db", db_url, "--progress", "none", "--timeout", "5s"};
  // The replica needs no politeness: unthrottled unless the test says otherwise.
  if (std::find(args.begin(), args.end(), "--max-rps") == args.end()) argv.insert(argv.end(), {"--max-rps", "0"});
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv);
}

}  // namespace etl::test
