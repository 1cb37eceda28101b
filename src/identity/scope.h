// The scopes live in model/scope.h (model::Identity carries them); these names keep
// identity/'s spelling.
#pragma once

#include "model/scope.h"

namespace gantry::identity {

using model::ParseScope;
using model::Scope;
using model::ScopeName;
using model::ScopeSet;

}  // namespace gantry::identity
