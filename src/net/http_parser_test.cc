// Table-driven conformance tests for the request and response parsers: the cases live in
// testdata/requests.txt and testdata/responses.txt (format described at the top of each).
#include "net/http_parser.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/strings.h"

namespace gantry::net {
namespace {

struct Case {
  std::string name;
  std::string input;
  ParseLimits limits;
  std::string request_method = "GET";
  bool eof = false;
  std::vector<std::string> expected;
  int line = 0;
};

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    if (c == 'r')
      out += '\r';
    else if (c == 'n')
      out += '\n';
    else if (c == 't')
      out += '\t';
    else if (c == 'x' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '\r')
      out += "\\r";
    else if (c == '\n')
      out += "\\n";
    else if (byte < 0x20 || byte >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", byte);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

template <typename Pairs>
std::string DescribePairs(const Pairs& pairs) {
  std::string out = "{";
  bool first = true;
  for (const auto& [key, value] : pairs) {
    if (!first) out += ";";
    first = false;
    out += Escape(key) + "=" + Escape(value);
  }
  return out + "}";
}

std::string Describe(const ParsedRequest& parsed) {
  const HttpRequest& r = parsed.request;
  return r.method + " " + r.path + " q" + DescribePairs(r.query) + " h" + DescribePairs(r.headers) +
         " body{" + Escape(r.body) + "} " + (parsed.keep_alive ? "keep" : "close");
}

std::string Describe(const ParsedResponse& parsed) {
  const HttpResponse& r = parsed.response;
  return std::to_string(r.status) + " h" + DescribePairs(r.headers) + " body{" + Escape(r.body) +
         "} " + (parsed.keep_alive ? "keep" : "close");
}

std::vector<Case> LoadCases(const std::string& file) {
  std::ifstream in(std::string(GANTRY_SOURCE_DIR) + "/src/net/testdata/" + file);
  EXPECT_TRUE(in.good()) << "cannot open " << file;
  std::vector<Case> cases;
  std::optional<Case> current;
  std::string line;
  int number = 0;
  auto flush = [&] {
    if (current) cases.push_back(*std::move(current));
    current.reset();
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.starts_with("#")) continue;
    if (Trim(line).empty()) {
      flush();
      continue;
    }
    size_t colon = line.find(':');
    std::string key = line.substr(0, colon);
    std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "name") {
      flush();
      current = Case{.name = value, .line = number};
      continue;
    }
    if (!current) {
      ADD_FAILURE() << file << ":" << number << ": '" << key << "' outside a case";
      continue;
    }
    if (key == "in") {
      current->input += Unescape(value);
    } else if (key == "out") {
      current->expected.push_back(value);
    } else if (key == "request") {
      current->request_method = value;
    } else if (key == "eof") {
      current->eof = value == "yes";
    } else if (key == "limits") {
      unsigned long header = 0, body = 0;
      EXPECT_EQ(std::sscanf(value.c_str(), "header=%lu body=%lu", &header, &body), 2);
      current->limits = {.max_header_bytes = header, .max_body_bytes = body};
    } else {
      ADD_FAILURE() << file << ":" << number << ": unknown key '" << key << "'";
    }
  }
  flush();
  return cases;
}

// Feeds the input in pieces of `step` bytes and describes every result, in order.
template <typename Parser>
std::vector<std::string> Run(const Case& c, size_t step) {
  Parser parser(c.limits);
  if constexpr (std::is_same_v<Parser, ResponseParser>) parser.ExpectResponseTo(c.request_method);
  std::vector<std::string> out;
  auto drain = [&](auto next_fn) {
    while (true) {
      auto next = next_fn();
      if (!next) {
        out.push_back("error " + std::to_string(next.error().status));
        return false;
      }
      if (!*next) return true;
      out.push_back(Describe(**next));
    }
  };
  for (size_t i = 0; i < c.input.size(); i += step) {
    parser.Feed(std::string_view(c.input).substr(i, step));
    if (!drain([&] { return parser.Next(); })) return out;
  }
  if constexpr (std::is_same_v<Parser, ResponseParser>) {
    if (c.eof) {
      auto last = parser.Finish();
      if (!last)
        out.push_back("error " + std::to_string(last.error().status));
      else if (*last)
        out.push_back(Describe(**last));
      return out;
    }
  }
  if (parser.InMessage()) out.push_back("more");
  return out;
}

template <typename Parser>
void RunFile(const std::string& file) {
  std::vector<Case> cases = LoadCases(file);
  ASSERT_GT(cases.size(), 5u);
  for (const Case& c : cases) {
    SCOPED_TRACE(file + ":" + std::to_string(c.line) + ": " + c.name);
    EXPECT_EQ(Run<Parser>(c, c.input.size() + 1), c.expected) << "fed at once";
    EXPECT_EQ(Run<Parser>(c, 1), c.expected) << "fed byte by byte";
  }
}

TEST(HttpParserConformanceTest, RequestsMatchTestdata) { RunFile<RequestParser>("requests.txt"); }

TEST(HttpParserConformanceTest, ResponsesMatchTestdata) {
  RunFile<ResponseParser>("responses.txt");
}

TEST(RequestParserTest, HeaderSectionOfDefaultLimitIsAcceptedAndOneMoreByteIsNot) {
  std::string head = "GET / HTTP/1.1\r\nX-Big: ";
  std::string end = "\r\n\r\n";
  std::string filler(64 * 1024 - head.size() - end.size(), 'a');
  RequestParser ok;
  ok.Feed(head + filler + end);
  auto parsed = ok.Next();
  ASSERT_TRUE(parsed.has_value());
  ASSERT_TRUE(parsed->has_value());
  EXPECT_EQ((*parsed)->request.headers.at("x-big").size(), filler.size());

  RequestParser too_big;
  too_big.Feed(head + filler + "a" + end);
  auto error = too_big.Next();
  ASSERT_FALSE(error.has_value());
  EXPECT_EQ(error.error().status, 431);
}

TEST(RequestParserTest, DefaultBodyLimitIs64MiB) {
  RequestParser parser;
  parser.Feed("POST / HTTP/1.1\r\nContent-Length: 67108865\r\n\r\n");
  auto error = parser.Next();
  ASSERT_FALSE(error.has_value());
  EXPECT_EQ(error.error().status, 413);
  EXPECT_NE(error.error().message.find("67108864"), std::string::npos) << error.error().message;
}

TEST(RequestParserTest, ErrorsAreSticky) {
  RequestParser parser;
  parser.Feed("NOT HTTP\r\n\r\n");
  ASSERT_FALSE(parser.Next().has_value());
  parser.Feed("GET / HTTP/1.1\r\n\r\n");
  EXPECT_FALSE(parser.Next().has_value());
}

TEST(RequestParserTest, AsksForContinueOnceWhenBodyIsPending) {
  RequestParser parser;
  parser.Feed("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
  auto none = parser.Next();
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
  EXPECT_TRUE(parser.TakeContinueRequest());
  EXPECT_FALSE(parser.TakeContinueRequest());
  parser.Feed("abc");
  auto done = parser.Next();
  ASSERT_TRUE(done.has_value() && done->has_value());
  EXPECT_EQ((*done)->request.body, "abc");
  EXPECT_FALSE(parser.TakeContinueRequest());
}

TEST(RequestParserTest, LargeChunkedBodyArrivingInPiecesIsReassembled) {
  RequestParser parser;
  parser.Feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
  std::string expected;
  for (int i = 0; i < 300; ++i) {
    std::string chunk(10000, static_cast<char>('a' + i % 26));
    expected += chunk;
    parser.Feed("2710\r\n" + chunk + "\r\n");
    auto next = parser.Next();
    ASSERT_TRUE(next.has_value());
    ASSERT_FALSE(next->has_value());
  }
  parser.Feed("0\r\n\r\n");
  auto done = parser.Next();
  ASSERT_TRUE(done.has_value() && done->has_value());
  EXPECT_EQ((*done)->request.body, expected);
  EXPECT_FALSE(parser.InMessage());
}

}  // namespace
}  // namespace gantry::net
