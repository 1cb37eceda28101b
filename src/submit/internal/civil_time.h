// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01).
// Not for use outside src/submit/. Pure, thread-safe.
#pragma once

#include <cstdint>

namespace gantry::submit::internal {

struct CivilDate {
  int64_t year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31
};

int64_t DaysFromCivil(const CivilDate& date);
CivilDate CivilFromDays(int64_t days);
int DaysInMonth(int64_t year, int month);

// Floor division, also for negative numerators.
inline int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace gantry::submit::internal
