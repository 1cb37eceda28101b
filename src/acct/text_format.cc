#include "acct/text_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace gantry::acct {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void Two(int64_t v, std::string& out) {
  out.push_back(static_cast<char>('0' + v / 10 % 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

// Howard Hinnant's days-from-civil inverse (http://howardhinnant.github.io/date_algorithms.html).
void CivilFromDays(int64_t days, int64_t* year, int* month, int* day) {
  days += 719468;
  int64_t era = FloorDiv(days, 146097);
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (m <= 2);
  *month = static_cast<int>(m);
  *day = static_cast<int>(d);
}

int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2;
  int64_t era = FloorDiv(year, 400);
  int64_t yoe = year - era * 400;
  int64_t mp = month > 2 ? month - 3 : month + 9;
  int64_t doy = (153 * mp + 2) / 5 + day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void DateWriter::Append(TimeMicros t, std::string& out) {
  if (t == 0) {
    out += "Unknown";
    return;
  }
  int64_t local = FloorDiv(t, kMicrosPerSecond) + tz_;
  int64_t day = FloorDiv(local, 86400);
  int64_t secs = local - day * 86400;
  if (day != cached_day_) {
    int64_t y;
    int m, d;
    CivilFromDays(day, &y, &m, &d);
    // "YYYY-MM-DD" by hand: years beyond 9999 keep their last four digits.
    int64_t year = (y % 10000 + 10000) % 10000;
    char* p = cached_date_;
    for (int64_t div = 1000; div > 0; div /= 10) *p++ = static_cast<char>('0' + year / div % 10);
    *p++ = '-';
    *p++ = static_cast<char>('0' + m / 10);
    *p++ = static_cast<char>('0' + m % 10);
    *p++ = '-';
    *p++ = static_cast<char>('0' + d / 10);
    *p++ = static_cast<char>('0' + d % 10);
    cached_day_ = day;
  }
  out.append(cached_date_, 10);
  out.push_back('T');
  Two(secs / 3600, out);
  out.push_back(':');
  Two(secs / 60 % 60, out);
  out.push_back(':');
  Two(secs % 60, out);
}

void AppendInt(int64_t v, std::string& out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void AppendDuration(int64_t seconds, std::string& out) {
  if (seconds < 0) seconds = 0;
  int64_t days = seconds / 86400;
  if (days) {
    AppendInt(days, out);
    out.push_back('-');
  }
  Two(seconds / 3600 % 24, out);
  out.push_back(':');
  Two(seconds / 60 % 60, out);
  out.push_back(':');
  Two(seconds % 60, out);
}

void AppendCpuTime(double seconds, std::string& out) {
  if (!(seconds > 0)) seconds = 0;
  int64_t whole = static_cast<int64_t>(seconds);
  if (whole >= 3600) {
    AppendDuration(whole, out);
    return;
  }
  int64_t millis =
      static_cast<int64_t>(std::llround((seconds - static_cast<double>(whole)) * 1000));
  if (millis >= 1000) {
    whole += 1;
    millis -= 1000;
  }
  Two(whole / 60, out);
  out.push_back(':');
  Two(whole % 60, out);
  out.push_back('.');
  out.push_back(static_cast<char>('0' + millis / 100));
  Two(millis % 100, out);
}

void AppendFixed(double v, int decimals, std::string& out) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  out.append(buf, r.ptr);
}

void AppendKibibytes(int64_t kb, std::string& out) {
  if (kb < 1024) {
    AppendInt(kb < 0 ? 0 : kb, out);
    out.push_back('K');
    return;
  }
  static constexpr char kUnits[] = {'M', 'G', 'T', 'P'};
  double v = static_cast<double>(kb) / 1024;
  size_t unit = 0;
  while (v >= 1024 && unit + 1 < sizeof kUnits) {
    v /= 1024;
    ++unit;
  }
  AppendFixed(v, 2, out);
  out.push_back(kUnits[unit]);
}

void AppendJsonString(std::string_view s, std::string& out) {
  out.push_back('"');
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

}  // namespace gantry::acct
