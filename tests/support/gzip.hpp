// Compressed bodies for hostile-server tests.
#pragma once

#include <cstddef>
#include <string>

namespace etl::test {

// gzip of `n` zero bytes (zlib's gzip wrapper): about 1,000 times smaller than what it inflates to.
std::string gzip_of_zeros(std::size_t n);

}  // namespace etl::test
