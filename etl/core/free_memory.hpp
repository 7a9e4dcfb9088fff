// Gives the memory the C library holds free back to the system. With glibc each thread that
// allocates gets an arena of its own, and payloads allocated in one thread and freed in
// another leave free holes there that only that arena reuses: a long import's RSS grew with
// the number of properties (105.6 MB at 10,000, 119.9 MB at 50,000). malloc_trim returns the
// whole free pages of every arena. A no-op where there is no such call.
#pragma once

namespace etl {

void release_free_memory();

}  // namespace etl
