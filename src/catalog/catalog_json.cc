#include "catalog/catalog_json.h"

namespace gantry::catalog {

using nlohmann::json;

namespace {

Result<std::map<std::string, std::string>> StringMap(const json& j, const char* field) {
  std::map<std::string, std::string> out;
  if (!j.contains(field)) return out;
  if (!j[field].is_object()) {
    return Fail(InvalidArgument(std::string("'") + field + "' must be an object"));
  }
  for (const auto& [k, v] : j[field].items()) {
    if (v.is_string()) {
      out[k] = v.get<std::string>();
    } else if (v.is_number_integer() || v.is_number_float() || v.is_boolean()) {
      out[k] = v.dump();
    } else {
      return Fail(InvalidArgument(std::string("'") + field + "." + k + "' must be a string"));
    }
  }
  return out;
}

Result<std::string> Text(const json& j, const char* field, bool required) {
  if (!j.contains(field)) {
    if (required) return Fail(InvalidArgument(std::string("'") + field + "' is missing"));
    return std::string();
  }
  if (!j[field].is_string()) {
    return Fail(InvalidArgument(std::string("'") + field + "' must be a string"));
  }
  return j[field].get<std::string>();
}

}  // namespace

json RseToJson(const Rse& rse) {
  return {{"name", rse.name}, {"site", rse.site}, {"attributes", rse.attributes},
          {"protocols", rse.protocols}};
}

Result<Rse> RseFromJson(const json& j) {
  if (!j.is_object()) return Fail(InvalidArgument("an RSE is a JSON object"));
  Rse rse;
  GANTRY_ASSIGN_OR_RETURN(rse.name, Text(j, "name", true));
  GANTRY_ASSIGN_OR_RETURN(rse.site, Text(j, "site", false));
  GANTRY_ASSIGN_OR_RETURN(rse.attributes, StringMap(j, "attributes"));
  if (rse.site.empty() && rse.attributes.count("site")) rse.site = rse.attributes["site"];
  if (rse.site.empty()) rse.site = rse.name;
  if (j.contains("protocols") && j["protocols"].is_array()) {
    for (const auto& p : j["protocols"]) {
      if (!p.is_string()) return Fail(InvalidArgument("'protocols' holds URL prefixes"));
      GANTRY_ASSIGN_OR_RETURN(std::string scheme, SchemeOfPrefix(p.get<std::string>()));
      rse.protocols[scheme] = p.get<std::string>();
    }
  } else {
    GANTRY_ASSIGN_OR_RETURN(rse.protocols, StringMap(j, "protocols"));
  }
  return rse;
}

json DidToJson(const DidInfo& d) {
  json j = {{"scope", d.did.scope}, {"name", d.did.name}, {"did", d.did.ToString()},
            {"type", DidTypeName(d.type)}, {"owner", d.owner}, {"vo", d.vo},
            {"bytes", d.bytes}, {"created", d.created}, {"meta", d.meta}};
  if (d.type == DidType::kFile) {
    j["adler32"] = d.adler32;
    if (!d.md5.empty()) j["md5"] = d.md5;
  }
  return j;
}

Result<NewDid> NewDidFromJson(const json& j) {
  if (!j.is_object()) return Fail(InvalidArgument("a DID is a JSON object"));
  NewDid d;
  GANTRY_ASSIGN_OR_RETURN(std::string did_text, Text(j, "did", false));
  if (!did_text.empty()) {
    GANTRY_ASSIGN_OR_RETURN(d.did, ParseDid(did_text));
  } else {
    GANTRY_ASSIGN_OR_RETURN(d.did.scope, Text(j, "scope", true));
    GANTRY_ASSIGN_OR_RETURN(d.did.name, Text(j, "name", true));
  }
  GANTRY_ASSIGN_OR_RETURN(std::string type, Text(j, "type", false));
  if (!type.empty()) {
    GANTRY_ASSIGN_OR_RETURN(d.type, ParseDidType(type));
  }
  if (j.contains("bytes")) {
    if (!j["bytes"].is_number_integer()) {
      return Fail(InvalidArgument("'bytes' must be an integer"));
    }
    d.bytes = j["bytes"].get<int64_t>();
  }
  GANTRY_ASSIGN_OR_RETURN(d.adler32, Text(j, "adler32", false));
  GANTRY_ASSIGN_OR_RETURN(d.md5, Text(j, "md5", false));
  GANTRY_ASSIGN_OR_RETURN(d.meta, StringMap(j, "meta"));
  return d;
}

json ReplicasToJson(const FileReplicas& f) {
  json j = DidToJson(f.file);
  json rs = json::array();
  for (const auto& r : f.replicas) {
    rs.push_back({{"rse", r.rse}, {"state", ReplicaStateName(r.state)}, {"path", r.path},
                  {"pfns", r.pfns}, {"updated", r.updated}});
  }
  j["replicas"] = rs;
  return j;
}

json UsageToJson(const UsageRow& row) {
  json j = {{"rse", row.rse}, {"files", row.files}, {"bytes", row.bytes}};
  if (!row.account.empty()) j["account"] = row.account;
  return j;
}

json ScopeToJson(const ScopeRecord& s) {
  json acl = json::array();
  for (const auto& e : s.acl) acl.push_back({{"principal", e.principal}, {"right", RightName(e.right)}});
  return {{"scope", s.scope}, {"owner", s.owner}, {"vo", s.vo}, {"acl", acl}};
}

Result<json> ParseBody(std::string_view text) {
  if (text.empty()) return json::object();
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Fail(InvalidArgument("the request body is not valid JSON"));
  return j;
}

}  // namespace gantry::catalog
