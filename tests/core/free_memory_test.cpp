// release_free_memory gives back the pages of blocks freed in another thread's malloc arena,
// which that arena would otherwise keep resident (the growth of a long import's RSS).
#include "etl/core/free_memory.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <thread>
#include <vector>

namespace etl {
namespace {

[[maybe_unused]] long resident_mb() {  // unused under ASan (the test skips)
  long size = 0, resident = 0;
  std::ifstream("/proc/self/statm") >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE) / (1 << 20);
}

TEST(FreeMemory, ReturnsWhatAnotherThreadsArenaHoldsFree) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "ASan's allocator replaces malloc's arenas";
#else
  std::vector<char*> blocks;
  std::thread([&] {  // 160 MB in 10 KB blocks, allocated in the thread's own arena
    for (int i = 0; i < 16'000; ++i) {
      char* p = new char[10'000];
      for (int j = 0; j < 10'000; j += 4096) p[j] = 1;
      blocks.push_back(p);
    }
  }).join();
  for (std::size_t i = 0; i + 1 < blocks.size(); ++i) delete[] blocks[i];  // the last keeps the heap's top
  const long before = resident_mb();
  release_free_memory();
  const long after = resident_mb();
  delete[] blocks.back();
  EXPECT_LT(after, before - 100) << "resident MB before " << before << ", after " << after;
#endif
}

}  // namespace
}  // namespace etl
