// Fast text for accounting output: dates, durations and numbers appended to a buffer without
// allocating (a month of records is a million lines). Pure, thread-compatible (DateWriter
// caches the last day it converted).
#pragma once

#include <cstdint>
#include <string>

#include "base/clock.h"

namespace gantry::acct {

// Appends "2024-03-10T15:30:00" (local time: UTC + tz_offset_seconds), as sacct prints dates;
// "Unknown" for 0.
class DateWriter {
 public:
  explicit DateWriter(int tz_offset_seconds) : tz_(tz_offset_seconds) {}
  void Append(TimeMicros t, std::string& out);

 private:
  int tz_;
  int64_t cached_day_ = INT64_MIN;
  char cached_date_[11] = {};  // "YYYY-MM-DD"
};

// "[DD-]HH:MM:SS", as sacct prints Elapsed and CPUTime.
void AppendDuration(int64_t seconds, std::string& out);
// "MM:SS.mmm" under an hour, else "[DD-]HH:MM:SS", as sacct prints UserCPU and TotalCPU.
void AppendCpuTime(double seconds, std::string& out);
// Kibibytes with a unit, as sacct prints MaxRSS: "900K", "1.50M", "2.25G".
void AppendKibibytes(int64_t kb, std::string& out);
void AppendInt(int64_t v, std::string& out);
// Fixed-point with `decimals` places (no exponent).
void AppendFixed(double v, int decimals, std::string& out);
// A JSON string literal, quoted and escaped.
void AppendJsonString(std::string_view s, std::string& out);

// Days since 1970-01-01 to year, month (1-12), day (1-31), proleptic Gregorian.
void CivilFromDays(int64_t days, int64_t* year, int* month, int* day);
// The inverse: days since 1970-01-01 of year-month-day.
int64_t DaysFromCivil(int64_t year, int month, int day);

}  // namespace gantry::acct
