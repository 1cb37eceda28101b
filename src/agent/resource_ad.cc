#include "agent/resource_ad.h"

#include "classad/parser.h"
#include "classad/unparse.h"

namespace gantry::agent {

Result<std::string> BuildResourceAd(const AdFacts& f, const std::string& extra) {
  classad::ClassAd ad;
  ad.InsertString("Name", f.name);
  ad.InsertString("Machine", f.hostname);
  // HTCondor's spellings: Arch "X86_64", OpSys "LINUX".
  std::string arch = f.machine;
  for (char& c : arch) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  ad.InsertString("Arch", arch);
  ad.InsertString("OpSys", "LINUX");
  ad.InsertString("Site", f.site);
  ad.InsertInteger("Cpus", f.total.cores);
  ad.InsertInteger("Memory", f.total.memory_mb);
  ad.InsertInteger("Gpus", f.gpus);
  if (!extra.empty()) {
    auto custom = classad::ParseClassAdAnyFormat(extra);
    if (!custom) return Fail(custom.error().Wrap("agent ad file"));
    for (const auto& attribute : custom->attributes()) {
      GANTRY_RETURN_IF_ERROR(
          classad::InsertParsed(ad, attribute.name, classad::Unparse(*attribute.expr)));
    }
  }
  return classad::UnparseClassAd(ad);
}

}  // namespace gantry::agent
