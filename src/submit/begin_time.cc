#include "submit/begin_time.h"

#include <cctype>
#include <string>

#include "base/strings.h"
#include "submit/internal/civil_time.h"

namespace gantry::submit {
namespace {

using internal::CivilDate;

constexpr std::string_view kExpected =
    "expected HH:MM[:SS] [AM|PM], MMDD[YY], MM/DD[/YY], YYYY-MM-DD[THH:MM[:SS]], "
    "now[+COUNT[seconds|minutes|hours|days|weeks]], today, tomorrow, midnight, noon, "
    "elevenses, fika or teatime";

Error Bad() { return InvalidArgument(std::string(kExpected)); }
Error Bad(const std::string& why) { return InvalidArgument(why + "; " + std::string(kExpected)); }

// What the text has said so far; -1 = not given. Mirrors the fields SLURM's parser fills.
struct Fields {
  int64_t year = -1;
  int month = -1;
  int day = -1;
  int hour = -1;
  int minute = -1;
  int second = 0;
};

// Local wall-clock fields of an absolute time.
struct LocalTime {
  CivilDate date;
  int hour = 0, minute = 0, second = 0;
};

LocalTime ToLocal(int64_t epoch_seconds, int tz) {
  int64_t local = epoch_seconds + tz;
  int64_t days = internal::FloorDiv(local, 86400);
  int64_t secs = local - days * 86400;
  return {internal::CivilFromDays(days), static_cast<int>(secs / 3600),
          static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60)};
}

bool StartsWithWord(std::string_view s, std::string_view word) {
  return s.size() >= word.size() && EqualsIgnoreCase(s.substr(0, word.size()), word);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Scans one --begin string left to right, in the manner of SLURM's parse_time(): each
// component (keyword, time of day, date) fills in Fields; blanks, '-' and 'T' separate them.
class BeginParser {
 public:
  // past: resolve what is left unsaid towards the past (sacct -S/-E), not the future.
  BeginParser(std::string_view text, int64_t now_seconds, int tz, bool past)
      : s_(text), now_seconds_(now_seconds), tz_(tz), past_(past),
        now_(ToLocal(now_seconds, tz)) {}

  Result<int64_t> Parse() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      // 'T' separates date and time ("2024-01-20T12:00"); "Today" starts a keyword.
      bool t_separator = c == 'T' && pos_ + 1 < s_.size() && IsDigit(s_[pos_ + 1]);
      if (c == ' ' || c == '\t' || c == '-' || t_separator) {
        ++pos_;
        continue;
      }
      GANTRY_RETURN_IF_ERROR(Component());
    }
    return Resolve();
  }

 private:
  Status Component() {
    std::string_view rest = s_.substr(pos_);
    if (StartsWithWord(rest, "today")) return SetDay(0, 5);
    if (StartsWithWord(rest, "tomorrow")) return SetDay(1, 8);
    if (StartsWithWord(rest, "midnight")) return SetTimeKeyword(0, 8);
    if (StartsWithWord(rest, "noon")) return SetTimeKeyword(12, 4);
    if (StartsWithWord(rest, "elevenses")) return SetTimeKeyword(11, 9);
    if (StartsWithWord(rest, "fika")) return SetTimeKeyword(15, 4);
    if (StartsWithWord(rest, "teatime")) return SetTimeKeyword(16, 7);
    if (StartsWithWord(rest, "now")) return Now();
    if (!IsDigit(rest[0])) return Fail(Bad("unexpected '" + std::string(rest) + "'"));
    if ((rest.size() > 1 && rest[1] == ':') || (rest.size() > 2 && rest[2] == ':')) {
      return TimeOfDay();
    }
    return Date();
  }

  Status SetDay(int days_ahead, size_t length) {
    CivilDate d = ToLocal(now_seconds_ + days_ahead * 86400, tz_).date;
    fields_.year = d.year;
    fields_.month = d.month;
    fields_.day = d.day;
    pos_ += length;
    return {};
  }

  Status SetTimeKeyword(int hour, size_t length) {
    fields_.hour = hour;
    fields_.minute = 0;
    fields_.second = 0;
    pos_ += length;
    return {};
  }

  // now[{+|-}COUNT[unit]]
  Status Now() {
    pos_ += 3;
    SkipBlanks();
    int64_t delta = 0;
    if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) {
      bool minus = s_[pos_] == '-';
      ++pos_;
      SkipBlanks();
      size_t start = pos_;
      while (pos_ < s_.size() && IsDigit(s_[pos_]) && pos_ - start < 12) {
        delta = delta * 10 + (s_[pos_] - '0');
        ++pos_;
      }
      if (pos_ == start) return Fail(Bad("'now+' needs a count, e.g. now+1hour"));
      if (pos_ < s_.size() && IsDigit(s_[pos_])) return Fail(Bad("count after 'now' too large"));
      SkipBlanks();
      static constexpr struct {
        std::string_view name;
        int64_t seconds;
      } kUnits[] = {{"seconds", 1},    {"second", 1},   {"minutes", 60}, {"minute", 60},
                    {"hours", 3600},   {"hour", 3600},  {"days", 86400}, {"day", 86400},
                    {"weeks", 604800}, {"week", 604800}};
      int64_t unit = 1;
      bool found = pos_ >= s_.size();
      for (const auto& u : kUnits) {
        if (!found && StartsWithWord(s_.substr(pos_), u.name)) {
          unit = u.seconds;
          pos_ += u.name.size();
          found = true;
        }
      }
      if (!found) {
        return Fail(Bad("unknown unit '" + std::string(s_.substr(pos_)) +
                        "' (use seconds, minutes, hours, days or weeks)"));
      }
      delta *= unit;  // at most 10^12 * 604800 < 2^63
      if (minus) delta = -delta;
    }
    LocalTime t = ToLocal(now_seconds_ + delta, tz_);
    fields_.year = t.date.year;
    fields_.month = t.date.month;
    fields_.day = t.date.day;
    fields_.hour = t.hour;
    fields_.minute = t.minute;
    fields_.second = t.second;
    return {};
  }

  // Reads up to `max` digits; false if fewer than `min` were there.
  bool Digits(size_t min, size_t max, int64_t* value) {
    size_t start = pos_;
    int64_t v = 0;
    while (pos_ < s_.size() && IsDigit(s_[pos_]) && pos_ - start < max) {
      v = v * 10 + (s_[pos_] - '0');
      ++pos_;
    }
    *value = v;
    return pos_ - start >= min;
  }

  // HH:MM[:SS] [AM|PM]
  Status TimeOfDay() {
    int64_t hour = 0, minute = 0, second = 0;
    if (!Digits(1, 2, &hour) || hour > 23) return Fail(Bad("hour must be 0-23"));
    if (pos_ >= s_.size() || s_[pos_] != ':') return Fail(Bad("bad time of day"));
    ++pos_;
    if (!Digits(2, 2, &minute) || minute > 59) return Fail(Bad("minutes must be two digits 00-59"));
    if (pos_ < s_.size() && s_[pos_] == ':') {
      ++pos_;
      if (!Digits(2, 2, &second) || second > 59) {
        return Fail(Bad("seconds must be two digits 00-59"));
      }
    }
    size_t save = pos_;
    SkipBlanks();
    std::string_view rest = s_.substr(pos_);
    if (StartsWithWord(rest, "pm")) {
      if (hour > 12) return Fail(Bad("PM needs an hour of 1-12"));
      if (hour < 12) hour += 12;
      pos_ += 2;
    } else if (StartsWithWord(rest, "am")) {
      if (hour > 12) return Fail(Bad("AM needs an hour of 1-12"));
      if (hour == 12) hour = 0;
      pos_ += 2;
    } else {
      pos_ = save;
    }
    fields_.hour = static_cast<int>(hour);
    fields_.minute = static_cast<int>(minute);
    fields_.second = static_cast<int>(second);
    return {};
  }

  // YYYY-MM-DD, MM/DD[/YY], MM.DD[.YY], MMDD[YY]
  Status Date() {
    int64_t year = -1, month = 0, day = 0;
    std::string_view rest = s_.substr(pos_);
    if (rest.size() >= 8 && rest[4] == '-' && rest[7] == '-') {
      if (!Digits(4, 4, &year)) return Fail(Bad("bad year"));
      ++pos_;
      if (!Digits(2, 2, &month)) return Fail(Bad("month must be two digits"));
      ++pos_;
      if (!Digits(1, 2, &day)) return Fail(Bad("missing day of month"));
    } else {
      Digits(1, 2, &month);
      if (pos_ < s_.size() && (s_[pos_] == '/' || s_[pos_] == '.')) ++pos_;
      if (!Digits(1, 2, &day)) return Fail(Bad("missing day of month"));
      if (pos_ < s_.size() && (s_[pos_] == '/' || s_[pos_] == '.')) ++pos_;
      int64_t yy = 0;
      size_t start = pos_;
      if (Digits(2, 2, &yy)) {
        year = 2000 + yy;
      } else if (pos_ != start) {
        return Fail(Bad("the year must have two digits"));
      }
    }
    if (month < 1 || month > 12) return Fail(Bad("month must be 1-12"));
    if (day < 1 || day > 31) return Fail(Bad("day must be 1-31"));
    if (pos_ < s_.size() && IsDigit(s_[pos_])) return Fail(Bad("too many digits in the date"));
    fields_.year = year;
    fields_.month = static_cast<int>(month);
    fields_.day = static_cast<int>(day);
    return {};
  }

  void SkipBlanks() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }

  // Fills what was not said with SLURM's rules: a date alone means 00:00, a time alone means
  // the next such time, a date without a year means the next such date.
  Result<int64_t> Resolve() {
    Fields f = fields_;
    if (f.hour == -1 && f.month == -1) return Fail(Bad());
    if (f.hour == -1) {
      f.hour = 0;
      f.minute = 0;
      f.second = 0;
    } else if (f.month == -1) {
      bool later_today =
          past_ || f.hour > now_.hour || (f.hour == now_.hour && f.minute > now_.minute);
      CivilDate d = later_today ? now_.date : ToLocal(now_seconds_ + 86400, tz_).date;
      f.year = d.year;
      f.month = d.month;
      f.day = d.day;
    }
    if (f.year == -1 && past_) {
      // As SLURM's parse_time(past): a later month than this one was last year's.
      f.year = now_.date.year - (f.month > now_.date.month ? 1 : 0);
    }
    if (f.year == -1) {
      auto key = [](int64_t month, int64_t day, int64_t hour, int64_t minute) {
        return ((month * 32 + day) * 24 + hour) * 60 + minute;
      };
      bool later_this_year = key(f.month, f.day, f.hour, f.minute) >
                             key(now_.date.month, now_.date.day, now_.hour, now_.minute);
      f.year = now_.date.year + (later_this_year ? 0 : 1);
    }
    // The API's range too (model::kBeginTimeLimit); it keeps the microseconds in int64.
    if (f.year < 1970 || f.year > 9999) return Fail(Bad("year out of range"));
    if (f.day > internal::DaysInMonth(f.year, f.month)) {
      return Fail(Bad(std::to_string(f.year) + "-" + std::to_string(f.month) + " has only " +
                      std::to_string(internal::DaysInMonth(f.year, f.month)) + " days"));
    }
    int64_t days = internal::DaysFromCivil({f.year, f.month, f.day});
    return days * 86400 + f.hour * 3600 + f.minute * 60 + f.second - tz_;
  }

  std::string_view s_;
  size_t pos_ = 0;
  int64_t now_seconds_;
  int tz_;
  bool past_;
  LocalTime now_;
  Fields fields_;
};

Result<TimeMicros> ParseTime(std::string_view text, TimeMicros now, int tz_offset_seconds,
                             bool past) {
  text = Trim(text);
  if (text.empty()) return Fail(Bad());
  if (tz_offset_seconds < -86400 || tz_offset_seconds > 86400) {
    return Fail(InvalidArgument("time zone offset out of range"));
  }
  int64_t now_seconds = internal::FloorDiv(now, kMicrosPerSecond);
  GANTRY_ASSIGN_OR_RETURN(int64_t seconds,
                          BeginParser(text, now_seconds, tz_offset_seconds, past).Parse());
  return seconds * kMicrosPerSecond;
}

}  // namespace

Result<TimeMicros> ParseBeginTime(std::string_view text, TimeMicros now, int tz_offset_seconds) {
  return ParseTime(text, now, tz_offset_seconds, /*past=*/false);
}

Result<TimeMicros> ParsePastTime(std::string_view text, TimeMicros now, int tz_offset_seconds) {
  return ParseTime(text, now, tz_offset_seconds, /*past=*/true);
}

}  // namespace gantry::submit
