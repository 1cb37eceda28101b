// GANTRY_CHECK: aborts on a broken invariant (a bug). Never CHECK input from users,
// the network, the database, a file or the config: those are Errors.
#pragma once

namespace gantry::internal {
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition);
}

#define GANTRY_CHECK(cond) \
  ((cond) ? (void)0 : ::gantry::internal::CheckFailed(__FILE__, __LINE__, #cond))
