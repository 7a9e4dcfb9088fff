// Reading the real Boligsiden fixtures of tests/fixtures/boligsiden (ETL_FIXTURES_DIR).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace etl::test {

inline std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(ETL_FIXTURES_DIR) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace etl::test
