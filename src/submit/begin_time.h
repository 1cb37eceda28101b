// --begin times, as sbatch accepts them. Pure (the current time and the local UTC offset
// are parameters), thread-safe.
#pragma once

#include <string_view>

#include "base/clock.h"
#include "base/error.h"

namespace gantry::submit {

// The absolute time for:
//   HH:MM[:SS] [AM|PM]     today, or tomorrow if that time of day has passed
//   MMDD[YY], MM/DD[/YY], MM.DD[.YY], YYYY-MM-DD   at 00:00:00; without a year: this year,
//                          or next year if the date has passed
//   a date and a time together: YYYY-MM-DDTHH:MM[:SS], MM/DD[/YY]-HH:MM[:SS]
//   now[{+|-}COUNT[seconds|minutes|hours|days|weeks]] (default unit: seconds)
//   today, tomorrow, midnight, noon, elevenses (11:00), fika (15:00), teatime (16:00),
//   also combined ("tomorrow noon")
// `now` is the current time; local times are read with the fixed offset
// `tz_offset_seconds` east of UTC (e.g. 3600 for CET). The result has whole seconds and may
// lie in the past (then the job is eligible at once). Errors: kInvalidArgument saying what
// was expected.
Result<TimeMicros> ParseBeginTime(std::string_view text, TimeMicros now, int tz_offset_seconds);

// The same formats as sacct reads -S/-E (SLURM's parse_time with `past`): a time of day
// alone is today's, a date without a year this year's unless its month is later than this
// one (then last year's). Conformance: src/acct/testdata/times.txt.
Result<TimeMicros> ParsePastTime(std::string_view text, TimeMicros now, int tz_offset_seconds);

}  // namespace gantry::submit
