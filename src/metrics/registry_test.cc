#include "metrics/registry.h"

#include <gtest/gtest.h>

#include "metrics/http_meter.h"

namespace gantry::metrics {
namespace {

TEST(RegistryTest, RendersCountersGaugesAndHistogramsInTheTextFormat) {
  Registry r;
  r.DeclareCounter("a_total", "Things.");
  r.DeclareGauge("b", "Level.");
  r.DeclareHistogram("c_seconds", "Time.", {0.5, 1});
  r.Add("a_total", {{"state", "DONE"}}, 2);
  r.Add("a_total", {{"state", "DONE"}});
  r.Set("b", {}, 7);
  r.Observe("c_seconds", {{"route", "/x"}}, 0.2);
  r.Observe("c_seconds", {{"route", "/x"}}, 0.7);
  r.Observe("c_seconds", {{"route", "/x"}}, 3);
  r.Add("undeclared", {}, 1);  // ignored
  EXPECT_EQ(r.Render(),
            "# HELP a_total Things.\n# TYPE a_total counter\na_total{state=\"DONE\"} 3\n"
            "# HELP b Level.\n# TYPE b gauge\nb 7\n"
            "# HELP c_seconds Time.\n# TYPE c_seconds histogram\n"
            "c_seconds_bucket{route=\"/x\",le=\"0.5\"} 1\n"
            "c_seconds_bucket{route=\"/x\",le=\"1\"} 2\n"
            "c_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"
            "c_seconds_sum{route=\"/x\"} 3.9\nc_seconds_count{route=\"/x\"} 3\n");
}

TEST(RegistryTest, LabelValuesAreEscaped) {
  EXPECT_EQ(RenderLabels({{"a", "x\"y\\z\nw"}}), "{a=\"x\\\"y\\\\z\\nw\"}");
  EXPECT_EQ(RenderLabels({}), "");
}

TEST(RegistryTest, ReplaceGaugeDropsSeriesThatVanished) {
  Registry r;
  r.DeclareGauge("g", "G.");
  r.ReplaceGauge("g", {{{{"agent", "a"}}, 1}, {{{"agent", "b"}}, 2}});
  r.ReplaceGauge("g", {{{{"agent", "b"}}, 3}});
  EXPECT_EQ(r.Render(), "# HELP g G.\n# TYPE g gauge\ng{agent=\"b\"} 3\n");
}

TEST(HttpMeterTest, RoutesNameTheirCapturedSegments) {
  net::HttpRequest req;
  req.path = "/v1/jobs/42/events";
  req.params = {{"id", "42"}};
  EXPECT_EQ(RouteLabel(req, 200), "/v1/jobs/{id}/events");
  req.path = "/v1/agents/node7/poll";
  req.params = {{"name", "node7"}};
  EXPECT_EQ(RouteLabel(req, 200), "/v1/agents/{name}/poll");
  req.path = "/no/such/thing";
  req.params.clear();
  EXPECT_EQ(RouteLabel(req, 404), "other");
  req.path = "/v1/jobs";
  EXPECT_EQ(RouteLabel(req, 200), "/v1/jobs");
}

}  // namespace
}  // namespace gantry::metrics
