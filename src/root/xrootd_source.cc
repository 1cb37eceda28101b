// root:// through XrdCl: a placeholder until the XRootD client is wired in.
#include "root/fmt.h"

#include "root/source.h"

namespace gantry::root {

Result<std::unique_ptr<Source>> OpenXRootDSource(const std::string& url, const SourceOptions&) {
  return Fail(FailedPrecondition(Fmt("cannot open {}: root:// is not supported yet", url)));
}

}  // namespace gantry::root
