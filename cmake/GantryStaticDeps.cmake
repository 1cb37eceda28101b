# Third-party libraries that the thin client `gantry` takes from their static archives.
# Every `gantry submit` is a process start, and loading libcrypto, libssl and libpcre2 as
# shared objects costs it about 4,000 symbol relocations (measured: 2.8 ms of CPU per
# `gantry submit` with them shared, 1.0 ms with them static and the binary not PIE).
# A library links gantry::dep_openssl or gantry::dep_pcre2 instead of the imported target;
# an executable that sets the target property GANTRY_STATIC_DEPS to ON gets the archives
# (`$<TARGET_PROPERTY:...>` in a usage requirement is read from the executable that links),
# every other target the shared library. Only for executables that load no other library
# linking the shared OpenSSL: two copies of OpenSSL in one process would not share state.
# Without the archives (or under the sanitizers) everything links the shared libraries.
function(_gantry_dep name shared)
  set(archives "")
  foreach(lib IN LISTS ARGN)
    find_library(_gantry_archive_${lib} NAMES lib${lib}.a)
    if(NOT _gantry_archive_${lib})
      set(archives "")
      break()
    endif()
    list(APPEND archives ${_gantry_archive_${lib}})
  endforeach()
  add_library(gantry_dep_${name} INTERFACE)
  add_library(gantry::dep_${name} ALIAS gantry_dep_${name})
  if(archives AND NOT GANTRY_SANITIZE AND NOT GANTRY_FUZZ)
    string(REPLACE ";" "$<SEMICOLON>" archives "${archives}")
    target_link_libraries(gantry_dep_${name} INTERFACE
      "$<IF:$<BOOL:$<TARGET_PROPERTY:GANTRY_STATIC_DEPS>>,${archives},${shared}>")
    target_include_directories(gantry_dep_${name} INTERFACE
      $<TARGET_PROPERTY:${shared},INTERFACE_INCLUDE_DIRECTORIES>)
  else()
    target_link_libraries(gantry_dep_${name} INTERFACE ${shared})
  endif()
endfunction()

_gantry_dep(openssl OpenSSL::SSL ssl crypto)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
_gantry_dep(pcre2 PkgConfig::PCRE2 pcre2-8)
