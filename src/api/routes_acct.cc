// GET /v1/acct: the caller's accounting records (or those the policy lets them see) as
// `gantry acct` prints them. The query parameters are acct::ToQuery's; the body is the
// finished output (text/plain, or application/json for output=json), formatted here so that
// a month of records crosses the socket once, with no per-record encoding in between.
#include "api/routes_acct.h"

#include <semaphore>

#include "acct/report.h"
#include "acct/request.h"
#include "acct/writer.h"
#include "api/routes.h"

namespace gantry::api {
namespace {

using net::HttpRequest;
using net::HttpResponse;

// At most two accounting scans at a time: each may read a million records.
std::counting_semaphore<2>& Scans() {
  static std::counting_semaphore<2> slots(2);
  return slots;
}

}  // namespace

void AddAcctRoutes(net::Router& router, const store::UsageReader& reader,
                   const AuthConfig& config) {
  router.Add(
      "GET", "/v1/acct",
      Authed(config, identity::Scope::kComputeRead,
             [&reader](const HttpRequest& req, const model::Identity& who) -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(acct::AcctRequest request, acct::FromQuery(req.query));
               for (const std::string& account : request.accounts) {
                 GANTRY_ASSIGN_OR_RETURN(bool known, reader.AccountKnown(account));
                 if (!known) {
                   return Fail(NotFound("unknown account '" + account +
                                        "': no job has been charged to it"));
                 }
               }
               model::UsageFilter filter = acct::FilterFor(request, who);
               filter.columns = acct::AcctWriter::Columns(request);
               Scans().acquire();
               struct Release {
                 ~Release() { Scans().release(); }
               } release;
               HttpResponse reply;
               reply.content_type = request.mode == acct::OutputMode::kJson
                                        ? "application/json"
                                        : "text/plain; charset=utf-8";
               acct::AcctWriter writer(request);
               writer.Begin(reply.body);
               GANTRY_RETURN_IF_ERROR(reader.Scan(filter, [&](const model::UsageRecord& r) {
                 writer.Add(r, reply.body);
                 return true;
               }));
               writer.Finish(reply.body);
               return reply;
             }));
  // GET /v1/report: sums over the records the caller may see (acct::ReportToQuery).
  router.Add(
      "GET", "/v1/report",
      Authed(config, identity::Scope::kComputeRead,
             [&reader](const HttpRequest& req, const model::Identity& who) -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(acct::ReportRequest request,
                                       acct::ReportFromQuery(req.query));
               acct::AcctRequest everyone;
               everyone.all_users = true;
               everyone.start = request.start;
               everyone.end = request.end;
               model::UsageFilter filter = acct::FilterFor(everyone, who);
               Scans().acquire();
               struct Release {
                 ~Release() { Scans().release(); }
               } release;
               acct::Reporter reporter(request);
               GANTRY_RETURN_IF_ERROR(reader.Scan(filter, [&](const model::UsageRecord& r) {
                 reporter.Add(r);
                 return true;
               }));
               HttpResponse reply;
               reply.content_type = request.json ? "application/json" : "text/plain; charset=utf-8";
               reply.body = reporter.Finish();
               return reply;
             }));
}

}  // namespace gantry::api
